namespace EventLoop;

/// <summary>
/// The source behind <see cref="Loop.WhenAny(LoopTask[])"/>: completes with the index of the
/// first task to finish, however it finished. Cancelling it stops the wait only; the tasks
/// keep running (asyncio's wait(FIRST_COMPLETED) behaves the same way).
/// </summary>
internal sealed class WhenAnyPromise : LoopTaskSource<int>
{
    private static readonly Action<object?> OnChildDone = static state =>
    {
        var (promise, index) = ((WhenAnyPromise, int))state!;
        promise.TrySetResult(index);
    };

    public WhenAnyPromise(Loop loop, LoopTask[] tasks)
    {
        OwnerLoop = loop;
        for (int i = 0; i < tasks.Length; i++)
        {
            var task = tasks[i];
            if (task.IsCompleted)
            {
                TrySetResult(i);
                return;
            }
            task.Source!.OnCompleted(OnChildDone, (this, i), task.Version);
        }
    }

    protected override bool RequestCancel() => TrySetException(new OperationCanceledException("The wait was cancelled."));

    internal override string Describe() => "WhenAny";
}
