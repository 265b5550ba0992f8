namespace EventLoop.Samples.Host;

/// <summary>
/// A loop on a thread of its own, for hosts that are not loops themselves (a generic host, a
/// service, a UI). Everything outside talks to it only through <see cref="InvokeAsync{T}"/>,
/// which hops onto the loop with CallSoonThreadSafe and hands the result back as a Task.
/// </summary>
public sealed class LoopThread : IDisposable
{
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Loop> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopTask _main;

    /// <summary>Starts a thread that runs <paramref name="main"/> on a new loop (like asyncio.run).</summary>
    public LoopThread(string name, Func<Loop, LoopTask> main, LoopOptions? options = null)
    {
        _thread = new Thread(() =>
        {
            var loop = new Loop(options);
            try
            {
                loop.Run(() =>
                {
                    _main = main(loop);
                    _started.TrySetResult(loop);
                    return _main;
                });
                _stopped.TrySetResult();
            }
            catch (OperationCanceledException)
            {
                _stopped.TrySetResult(); // stopped on request
            }
            catch (Exception e)
            {
                _started.TrySetException(e);
                _stopped.TrySetException(e);
            }
        }) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Completes once main has started on the loop thread.</summary>
    public Task<Loop> Started => _started.Task;

    /// <summary>Completes when the loop has finished (main returned or was cancelled, leftovers unwound).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Runs <paramref name="work"/> on the loop thread and returns its result to the caller's thread.</summary>
    public async Task<T> InvokeAsync<T>(Func<LoopTask<T>> work)
    {
        var loop = await Started.ConfigureAwait(false);
        var result = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.CallSoonThreadSafe(() => result.SetResult(work().AsTask()));
        return await (await result.Task.ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Asks main to stop (cancels it on the loop) and waits for the loop to finish.</summary>
    public async Task StopAsync()
    {
        if (!Started.IsCompletedSuccessfully) return;
        var loop = Started.Result;
        try { loop.CallSoonThreadSafe(() => _main.Cancel()); }
        catch (ObjectDisposedException) { } // already finished
        await Stopped.ConfigureAwait(false);
    }

    /// <summary>Stops the loop and waits for its thread.</summary>
    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _thread.Join();
    }
}
