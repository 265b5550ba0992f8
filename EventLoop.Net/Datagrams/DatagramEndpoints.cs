using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>UDP on a <see cref="Loop"/> (asyncio's create_datagram_endpoint).</summary>
public static class DatagramEndpoints
{
    /// <summary>
    /// Opens a UDP endpoint bound to <paramref name="local"/> (default 127.0.0.1, a free port),
    /// connected to <paramref name="remote"/> when one is given (then only its datagrams arrive,
    /// and errors such as "port unreachable" are reported). Returns once
    /// <see cref="IDatagramProtocol.ConnectionMade"/> has run.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from another thread than the loop's (nothing is bound then).</exception>
    public static LoopTask<(IDatagramTransport Transport, TProtocol Protocol)> CreateDatagramEndpointAsync<TProtocol>(
        this Loop loop, Func<TProtocol> protocolFactory, EndPoint? local = null, EndPoint? remote = null)
        where TProtocol : IDatagramProtocol
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(protocolFactory);
        loop.CheckThread(); // before binding: a refused call must leave no socket bound
        return CreateAsync(loop, protocolFactory, local, remote);
    }

    private static async LoopTask<(IDatagramTransport Transport, TProtocol Protocol)> CreateAsync<TProtocol>(
        Loop loop, Func<TProtocol> protocolFactory, EndPoint? local, EndPoint? remote)
        where TProtocol : IDatagramProtocol
    {
        var family = (local ?? remote)?.AddressFamily ?? AddressFamily.InterNetwork;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Blocking = false;
            socket.Bind(local ?? new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
            if (remote is not null) socket.Connect(remote); // UDP connect does not block
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var protocol = protocolFactory();
        var transport = new DatagramTransport(loop, socket, protocol, remote);
        await transport.WhenConnectionMadeAsync();
        return (transport, protocol);
    }
}
