using EventLoop.Net;

namespace EventLoop.Tests.Net;

/// <summary>Memory pairs the public factories do not make: a stream connection talking to a protocol.</summary>
internal static class MemoryPairs
{
    /// <summary>A <see cref="Connection"/> whose peer is <paramref name="protocol"/>, over a memory pair; usable at once.</summary>
    public static Connection ConnectionTo(Loop loop, IProtocol protocol, MemoryPipeOptions? options = null, ConnectionOptions? connectionOptions = null)
    {
        var connection = new Connection(loop, connectionOptions);
        var (transport, _) = MemoryPipeEnd.CreatePair(loop, connection.Protocol, protocol, options ?? new MemoryPipeOptions());
        connection.Attach(transport);
        return connection;
    }
}
