using System.Diagnostics;

namespace EventLoop.Net;

/// <summary>
/// A child process driven by the loop: its pipes are <see cref="Connection"/>s (write and
/// <see cref="Connection.DrainAsync"/> on <see cref="Stdin"/>; <c>ReadAsync</c>,
/// <c>ReadLineAsync</c>, <c>ReadToEndAsync</c> on <see cref="Stdout"/> and <see cref="Stderr"/>, with
/// the same limits and backpressure as sockets), and its exit is awaitable.
/// </summary>
/// <remarks>
/// Cancelling a task that awaits <see cref="WaitForExitAsync"/> stops the wait only: the child
/// keeps running. Dispose the process (<c>using var child = ...</c>) to kill a child that is
/// still running, so an abandoned handler never leaks one.
/// </remarks>
public sealed class LoopProcess : IDisposable
{
    private readonly Loop _loop;
    private readonly Process _process;
    private readonly LoopFuture<int> _exited;

    internal LoopProcess(Loop loop, Process process, Connection? stdin, Connection? stdout, Connection? stderr)
    {
        _loop = loop;
        _process = process;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        Id = process.Id;
        _exited = loop.CreateFuture<int>();
        // Exited is raised on a thread-pool thread: hop to the loop before touching anything.
        process.Exited += (_, _) => loop.TryPost(static s => ((LoopProcess)s!).OnExited(), this);
        process.EnableRaisingEvents = true;
        if (process.HasExited) loop.TryPost(static s => ((LoopProcess)s!).OnExited(), this);
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

    /// <summary>Completes with the exit code when the child exits.</summary>
    public LoopTask<int> WaitForExitAsync() => _exited.Task;

    /// <summary>Kills the child (and its children). Does nothing if it has exited.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>Kills the child if it is still running and releases the process handle.</summary>
    public void Dispose()
    {
        Kill();
        Stdin?.Abort();
        _process.Dispose();
    }

    private void OnExited()
    {
        if (_exited.IsCompleted) return;
        _process.WaitForExit(); // returns at once; makes ExitCode available
        ExitCode = _process.ExitCode;
        _exited.TrySetResult(_process.ExitCode);
    }
}
