namespace EventLoop.Samples;

/// <summary>
/// A failure a sample explains in one line — the server it should talk to refused, for example:
/// <see cref="SampleRunner"/> prints the message on standard error, without a stack trace, and
/// exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class SampleFailedException(string message, int exitCode = 1, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
