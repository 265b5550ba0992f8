namespace EventLoop.Net;

/// <summary>
/// Two connected transports that never touch the kernel, for deterministic tests of protocol
/// and stream code (Trio's memory_stream_pair, Tokio's duplex). Each end behaves as a socket
/// does: writes coalesce and are flushed at the end of the iteration into the other end's
/// receive buffer (<see cref="MemoryPipeOptions.ChunkSize"/> bytes at most, as a socket buffer),
/// the other end reads them in a later step at most a chunk at a time, and a full buffer holds
/// the writer back. Half-close, close after flush, abort as a reset, and the same lifecycle and
/// error policy as every transport.
/// </summary>
public static class MemoryTransport
{
    /// <summary>
    /// Connects <paramref name="first"/> and <paramref name="second"/>. Each gets
    /// <see cref="IProtocol.ConnectionMade"/> in the next iteration; the transports may be written
    /// to at once.
    /// </summary>
    public static (ITransport First, ITransport Second) CreatePair(Loop loop, IProtocol first, IProtocol second, MemoryPipeOptions? options = null) =>
        MemoryPipeEnd.CreatePair(loop, first, second, options ?? new MemoryPipeOptions());

    /// <summary>Two connected stream <see cref="Connection"/>s over a memory pair, usable at once.</summary>
    public static (Connection First, Connection Second) CreateConnectionPair(Loop loop, ConnectionOptions? options = null, MemoryPipeOptions? pipeOptions = null)
    {
        var first = new Connection(loop, options);
        var second = new Connection(loop, options);
        var (a, b) = MemoryPipeEnd.CreatePair(loop, first.Protocol, second.Protocol, pipeOptions ?? new MemoryPipeOptions());
        first.Attach(a);
        second.Attach(b);
        return (first, second);
    }
}
