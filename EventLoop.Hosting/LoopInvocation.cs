namespace EventLoop.Hosting;

/// <summary>Work another thread handed to a <see cref="LoopThread"/>: runs on the loop, or is abandoned if the loop finished first.</summary>
internal abstract class LoopInvocation
{
    /// <summary>Starts the work on <paramref name="loop"/> (loop thread).</summary>
    public abstract void Run(Loop loop);

    /// <summary>The loop finished before the work could run: fail the caller's task instead of leaving it hanging.</summary>
    public abstract void Abandon(Exception reason);
}

/// <inheritdoc />
internal sealed class LoopInvocation<TResult>(Func<LoopTask<TResult>> work) : LoopInvocation
{
    private readonly TaskCompletionSource<TResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The caller's side: completes as the work does, on the thread pool.</summary>
    public Task<TResult> Task => _result.Task;

    /// <inheritdoc />
    public override void Run(Loop loop) =>
        // Spawned, so the loop owns it: if the loop stops first, it is cancelled and unwound
        // with everything else rather than dropped mid-flight.
        loop.Spawn(RunAsync);

    /// <inheritdoc />
    public override void Abandon(Exception reason) => _result.TrySetException(reason);

    private async LoopTask RunAsync()
    {
        // Nothing escapes: the outcome belongs to the caller, not to the loop's exception handler.
        try
        {
            _result.TrySetResult(await work());
        }
        catch (OperationCanceledException e)
        {
            _result.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            _result.TrySetException(e);
        }
    }
}
