using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>Servers and clients on a <see cref="Loop"/>: protocol style and stream style.</summary>
public static class NetLoopExtensions
{
    /// <summary>
    /// Listens on <paramref name="endpoint"/> (default: 127.0.0.1, a free port — nothing listens
    /// on all interfaces unless asked) and gives each accepted connection a new protocol from
    /// <paramref name="protocolFactory"/>. TCP or Unix domain endpoints; <paramref name="options"/>
    /// sets the backlog, port sharing and the connection limit.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from another thread than the loop's (nothing is bound then).</exception>
    /// <exception cref="SocketException">The endpoint cannot be listened on (address already in use, for example); the message names it.</exception>
    public static LoopTask<Server> CreateServerAsync(this Loop loop, Func<IProtocol> protocolFactory, EndPoint? endpoint = null, ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        var server = Server.Start(loop, endpoint, options, (server, socket) =>
        {
            var transport = new SocketTransport(loop, socket, protocolFactory(), closed =>
            {
                server.Untrack(closed);
                server.ConnectionFinished();
            });
            server.Track(transport);
        });
        return LoopTask.FromResult(server);
    }

    /// <summary>Connects to <paramref name="endpoint"/> and returns once the protocol's <see cref="IProtocol.ConnectionMade"/> has run.</summary>
    /// <exception cref="SocketException">The connection was refused or failed.</exception>
    public static async LoopTask<(ITransport Transport, TProtocol Protocol)> CreateConnectionAsync<TProtocol>(
        this Loop loop, Func<TProtocol> protocolFactory, EndPoint endpoint, CancellationToken cancellationToken = default)
        where TProtocol : IProtocol
    {
        ArgumentNullException.ThrowIfNull(protocolFactory);
        var socket = await ConnectSocketAsync(loop, endpoint, cancellationToken);
        var protocol = protocolFactory();
        var transport = new SocketTransport(loop, socket, protocol);
        await transport.WhenConnectionMadeAsync();
        return (transport, protocol);
    }

    internal static async LoopTask<Socket> ConnectSocketAsync(Loop loop, EndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var socket = Listeners.NewStreamSocket(endpoint);
        try
        {
            await loop.ConnectAsync(socket, endpoint, cancellationToken);
            if (socket.ProtocolType == ProtocolType.Tcp) socket.NoDelay = true;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
