namespace EventLoop.Net;

/// <summary>How <see cref="ChildProcesses.StartProcessAsync"/> starts a child.</summary>
public sealed class ProcessOptions
{
    /// <summary>The child's working directory; default: ours.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables to set (a null value removes one) on top of our environment.</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>();

    /// <summary>Give us the child's standard input (<see cref="LoopProcess.Stdin"/>). Default true.</summary>
    public bool RedirectStandardInput { get; set; } = true;

    /// <summary>Give us the child's standard output (<see cref="LoopProcess.Stdout"/>). Default true.</summary>
    public bool RedirectStandardOutput { get; set; } = true;

    /// <summary>Give us the child's standard error (<see cref="LoopProcess.Stderr"/>). Default true.</summary>
    public bool RedirectStandardError { get; set; } = true;

    /// <summary>The read limit of the output streams, as for sockets (64 KiB default).</summary>
    public int Limit { get; set; } = ConnectionOptions.DefaultLimit;
}
