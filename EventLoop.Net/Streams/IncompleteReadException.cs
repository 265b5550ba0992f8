namespace EventLoop.Net;

/// <summary>The stream ended before a read could be satisfied; <see cref="Partial"/> holds what did arrive.</summary>
public sealed class IncompleteReadException : EndOfStreamException
{
    /// <summary>Creates the exception.</summary>
    public IncompleteReadException(byte[] partial, int? expected)
        : base(expected is { } n
            ? $"The stream ended after {partial.Length} of {n} expected bytes."
            : $"The stream ended after {partial.Length} bytes, before the delimiter.")
    {
        Partial = partial;
        Expected = expected;
    }

    /// <summary>The bytes read before the end of the stream (they are consumed).</summary>
    public byte[] Partial { get; }

    /// <summary>How many bytes were expected, when the read asked for a count.</summary>
    public int? Expected { get; }
}
