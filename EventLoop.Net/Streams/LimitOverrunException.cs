namespace EventLoop.Net;

/// <summary>
/// A delimited read (<see cref="Connection.ReadLineAsync()"/>, <see cref="Connection.ReadUntilAsync(ReadOnlyMemory{byte})"/>)
/// found more than <see cref="Limit"/> bytes without its delimiter, or a line longer than that.
/// The oversized piece is discarded in full, up to and including its delimiter (even the part
/// that has not arrived yet), so the next delimited read returns the piece after it: the
/// connection stays usable and in step.
/// </summary>
public sealed class LimitOverrunException : IOException
{
    /// <summary>Creates the exception.</summary>
    public LimitOverrunException(int limit)
        : base($"A line (or delimited chunk) exceeded the limit of {limit} bytes; it was discarded up to its delimiter.") => Limit = limit;

    /// <summary>The connection's limit when it happened.</summary>
    public int Limit { get; }
}
