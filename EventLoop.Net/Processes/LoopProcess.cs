using System.Diagnostics;

namespace EventLoop.Net;

/// <summary>
/// A child process driven by the loop: its pipes are <see cref="Connection"/>s (write and
/// <see cref="Connection.DrainAsync"/> on <see cref="Stdin"/>; <c>ReadAsync</c>,
/// <c>ReadLineAsync</c>, <c>ReadToEndAsync</c> on <see cref="Stdout"/> and <see cref="Stderr"/>, with
/// the same limits and backpressure as sockets), and its exit is awaitable.
/// </summary>
/// <remarks>
/// Cancelling a task that awaits <see cref="WaitForExitAsync"/> stops that wait only: the child
/// keeps running, and other waits are not affected. Dispose the process (<c>using var child = ...</c>)
/// to kill a child that is still running, so an abandoned handler never leaks one; a wait still
/// pending then fails with <see cref="ObjectDisposedException"/>. When the child exits, its stdin
/// is closed (nobody reads it any more), so its pipe and thread go away even if the process is
/// never disposed.
/// </remarks>
public sealed class LoopProcess : IDisposable
{
    private static readonly Action<object?> ExitedCallback = static s => ((LoopProcess)s!).OnExited();

    private readonly Loop _loop;
    private readonly Process _process;
    private readonly List<Waiter<int>> _exitWaiters = new();
    private bool _disposed;

    internal LoopProcess(Loop loop, Process process, Connection? stdin, Connection? stdout, Connection? stderr)
    {
        _loop = loop;
        _process = process;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        Id = process.Id;
        // Exited is raised on a thread-pool thread: hop to the loop before touching anything.
        process.Exited += (_, _) => loop.TryPost(ExitedCallback, this);
        process.EnableRaisingEvents = true;
        if (process.HasExited) loop.TryPost(ExitedCallback, this);
    }

    /// <summary>The child's process id.</summary>
    public int Id { get; }

    /// <summary>The child's standard input, or null when not redirected. Close it to send end of input.</summary>
    public Connection? Stdin { get; }

    /// <summary>The child's standard output, or null when not redirected.</summary>
    public Connection? Stdout { get; }

    /// <summary>The child's standard error, or null when not redirected.</summary>
    public Connection? Stderr { get; }

    /// <summary>The exit code, once the child has exited (as seen by the loop).</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Completes with the exit code when the child exits. Each call waits on its own.</summary>
    /// <exception cref="ObjectDisposedException">The process was disposed before the child exited.</exception>
    public LoopTask<int> WaitForExitAsync()
    {
        _loop.CheckThread();
        if (ExitCode is { } code) return LoopTask.FromResult(code);
        if (_disposed) return FailedWait();
        return Waiter<int>.Add(_loop, _exitWaiters, "LoopProcess.WaitForExitAsync");
    }

    /// <summary>Kills the child (and its children). Does nothing if it has exited.</summary>
    public void Kill()
    {
        _loop.CheckThread();
        if (_disposed) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>Kills the child if it is still running and releases the process; pending waits fail with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _loop.CheckThread();
        if (_disposed) return;
        Kill();
        _disposed = true;
        Stdin?.Abort();
        _process.Dispose();
        if (ExitCode is null) Waiter<int>.ReleaseAll(_exitWaiters, 0, NewDisposedException());
    }

    private void OnExited()
    {
        if (_disposed || ExitCode is not null) return;
        _process.WaitForExit(); // returns at once; makes ExitCode available
        ExitCode = _process.ExitCode;
        if (Stdin is { IsClosing: false } stdin) stdin.Abort(); // nobody reads it any more: free its pipe and thread
        Waiter<int>.ReleaseAll(_exitWaiters, _process.ExitCode);
    }

    private LoopTask<int> FailedWait()
    {
        var wait = Waiter<int>.Add(_loop, _exitWaiters, "LoopProcess.WaitForExitAsync");
        Waiter<int>.ReleaseAll(_exitWaiters, 0, NewDisposedException());
        return wait;
    }

    private static ObjectDisposedException NewDisposedException() =>
        new(nameof(LoopProcess), "The process was disposed (and its child killed) before the child exited.");
}
