namespace EventLoop;

/// <summary>
/// The source behind <see cref="Loop.WhenAll(LoopTask[])"/>: completes when every task has
/// finished. Faults win over cancellations (the first faulted task in argument order supplies
/// the exception); cancelling it cancels every task it waits for, like asyncio's gather.
/// </summary>
internal sealed class WhenAllPromise : LoopTaskSource<VoidResult>
{
    private static readonly Action<object?> OnChildDone = static state => ((WhenAllPromise)state!).ChildDone();
    private readonly LoopTask[] _tasks;
    private int _remaining;
    private bool _cancelRequested; // a cancel reached a child: end cancelled even if the children caught it (asyncio's gather)

    public WhenAllPromise(Loop loop, LoopTask[] tasks)
    {
        OwnerLoop = loop;
        _tasks = tasks;
        _remaining = tasks.Length;
        foreach (var task in tasks)
        {
            if (task.Source is null) _remaining--;
            else task.Source.OnCompleted(OnChildDone, this, task.Version);
        }
        if (_remaining == 0) Complete();
    }

    private void ChildDone()
    {
        if (--_remaining == 0) Complete();
    }

    private void Complete()
    {
        Exception? canceled = null;
        foreach (var task in _tasks)
        {
            switch (task.Status)
            {
                case LoopTaskStatus.Faulted:
                    TrySetException(task.Exception!);
                    return;
                case LoopTaskStatus.Canceled:
                    canceled ??= task.Exception;
                    break;
            }
        }
        if (canceled is not null) TrySetException(canceled);
        else if (_cancelRequested) TrySetException(new OperationCanceledException("The wait for all tasks was cancelled."));
        else TrySetResult(default);
    }

    protected override bool RequestCancel()
    {
        bool any = false;
        foreach (var task in _tasks) any |= task.Cancel();
        if (any) _cancelRequested = true;
        return any;
    }

    internal override string Describe() => "WhenAll";
}
