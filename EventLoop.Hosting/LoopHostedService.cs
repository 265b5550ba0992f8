using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Hosting;

/// <summary>
/// A hosted service whose work runs on an event loop of its own thread (a <see cref="Hosting.LoopThread"/>):
/// the host's start waits for <see cref="InitializeAsync"/> (bind listeners, open connections
/// there), then <see cref="ExecuteAsync(Loop)"/> runs until it returns or the host stops — when it
/// is cancelled on the loop and its <c>finally</c> blocks run there, within the host's shutdown timeout.
/// </summary>
/// <remarks>
/// <para>It is a <see cref="BackgroundService"/>, so the host treats it as one: if
/// <see cref="ExecuteAsync(Loop)"/> fails, the host logs the failure and (by default,
/// <c>HostOptions.BackgroundServiceExceptionBehavior</c>) stops. A failure in
/// <see cref="InitializeAsync"/> fails the host's start.</para>
/// <para>Other code of the host reaches the loop through <see cref="LoopThread"/>'s
/// <c>InvokeAsync</c>, typically behind a method of the derived service. Register it with
/// <see cref="LoopHostingServiceCollectionExtensions.AddLoopHostedService{TService}"/> so it can be injected too.</para>
/// </remarks>
public abstract class LoopHostedService : BackgroundService
{
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _log;

    /// <summary>Prepares the service and its loop thread (named after the service's type).</summary>
    /// <param name="loopOptions">Options of the service's loop; its <see cref="LoopOptions.LoggerFactory"/> also gets this class's log lines (category <c>EventLoop.Hosting</c>).</param>
    protected LoopHostedService(LoopOptions? loopOptions = null)
    {
        LoopThread = new LoopThread(RunAsync, loopOptions, GetType().Name);
        _log = loopOptions?.LoggerFactory?.CreateLogger("EventLoop.Hosting") ?? NullLogger.Instance;
    }

    /// <summary>The thread the service's loop runs on: <c>InvokeAsync</c> hands it work from any thread.</summary>
    protected LoopThread LoopThread { get; }

    /// <summary>
    /// Runs first, on the loop; the host's start waits for it. Throw to fail the start.
    /// The default does nothing.
    /// </summary>
    protected virtual LoopTask InitializeAsync(Loop loop) => LoopTask.CompletedTask;

    /// <summary>
    /// The service's work, on the loop, after <see cref="InitializeAsync"/>. When the host stops
    /// it is cancelled: an <see cref="OperationCanceledException"/> at the await where it is suspended.
    /// </summary>
    protected abstract LoopTask ExecuteAsync(Loop loop);

    /// <summary>Starts the loop thread and waits until <see cref="InitializeAsync"/> has finished.</summary>
    /// <param name="cancellationToken">The host's start is abandoned: the loop is asked to stop.</param>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _initialized.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LoopThread.RequestStop();
            throw;
        }
    }

    /// <summary>
    /// Cancels <see cref="ExecuteAsync(Loop)"/> on the loop and waits for the loop to finish, or
    /// for <paramref name="cancellationToken"/> (the host's shutdown timeout): then it returns, logs
    /// a warning, and the loop goes on unwinding on its background thread.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (ExecuteTask is not null && !LoopThread.Completion.IsCompleted) HostingLog.StopTimedOut(_log, LoopThread.Name);
    }

    /// <summary>Runs the loop thread for the host; use <see cref="ExecuteAsync(Loop)"/> for the service's work.</summary>
    protected sealed override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            LoopThread.Start();
        }
        catch (Exception e)
        {
            _initialized.TrySetException(e); // StartAsync is waiting for it
            throw;
        }
        stoppingToken.Register(static thread => ((LoopThread)thread!).RequestStop(), LoopThread);
        return LoopThread.Completion;
    }

    /// <summary>Asks the loop to stop, without waiting (<see cref="StopAsync"/> waits).</summary>
    public override void Dispose()
    {
        base.Dispose();
        LoopThread.Dispose();
        GC.SuppressFinalize(this);
    }

    private async LoopTask RunAsync(Loop loop)
    {
        try
        {
            await InitializeAsync(loop);
        }
        catch (Exception e)
        {
            _initialized.TrySetException(e);
            throw;
        }
        _initialized.TrySetResult();
        await ExecuteAsync(loop);
    }
}
