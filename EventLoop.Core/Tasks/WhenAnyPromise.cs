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
        if (promise.TrySetResult(index)) promise.Detach();
    };

    // What this wait registered on each task, so it can take it back once it is over: a
    // long-lived task (a shutdown signal) must not collect one dead wait per WhenAny.
    private LoopTask[]? _tasks;
    private object?[]? _registrations;

    public WhenAnyPromise(Loop loop, LoopTask[] tasks)
    {
        OwnerLoop = loop;
        _tasks = (LoopTask[])tasks.Clone();
        _registrations = new object?[tasks.Length];
        for (int i = 0; i < _tasks.Length; i++)
        {
            var task = _tasks[i];
            if (task.IsCompleted)
            {
                TrySetResult(i);
                Detach();
                return;
            }
            object registration = (this, i);
            _registrations[i] = registration;
            task.Source!.OnCompleted(OnChildDone, registration, task.Version);
        }
    }

    protected override bool RequestCancel()
    {
        if (!TrySetException(new OperationCanceledException("The wait was cancelled."))) return false;
        Detach();
        return true;
    }

    private void Detach()
    {
        if (_tasks is not { } tasks || _registrations is not { } registrations) return;
        _tasks = null;
        _registrations = null;
        for (int i = 0; i < tasks.Length; i++)
        {
            if (registrations[i] is { } registration) tasks[i].Source!.RemoveContinuation(OnChildDone, registration, tasks[i].Version);
        }
    }

    internal override string Describe() => "WhenAny";
}
