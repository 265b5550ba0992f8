using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>Stream-style servers and clients: each connection is a <see cref="Connection"/> read and written in straight-line code.</summary>
public static class StreamServers
{
    /// <summary>
    /// Listens on <paramref name="endpoint"/> (default 127.0.0.1, a free port) and runs
    /// <paramref name="handler"/> as a spawned task for each connection. When a handler returns,
    /// its connection is closed (what it wrote is sent first). An exception escaping it goes to
    /// <see cref="Loop.ReportException"/> with the peer, as one from protocol code does, and closes
    /// that connection only; a handler ended by its own connection's loss (a reset, an end of
    /// stream in the middle of a read) is normal and only logged at Debug.
    /// <see cref="Server.WaitClosedAsync"/> completes once the server is closed and every handler
    /// has returned. <paramref name="options"/> sets the backlog, port sharing and the connection
    /// limit; <paramref name="connectionOptions"/> each connection's settings.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from another thread than the loop's (nothing is bound then).</exception>
    /// <exception cref="SocketException">The endpoint cannot be listened on (address already in use, for example); the message names it.</exception>
    public static LoopTask<Server> StartServerAsync(this Loop loop, Func<Connection, LoopTask> handler, EndPoint? endpoint = null,
        ServerOptions? options = null, ConnectionOptions? connectionOptions = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var server = Server.Start(loop, endpoint, options, (server, socket) => Accept(loop, server, socket, handler, connectionOptions));
        return LoopTask.FromResult(server);
    }

    /// <summary>Connects to <paramref name="endpoint"/> and returns the connection once it is established.</summary>
    /// <exception cref="SocketException">The connection was refused or failed.</exception>
    public static async LoopTask<Connection> OpenConnectionAsync(this Loop loop, EndPoint endpoint, ConnectionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var socket = await NetLoopExtensions.ConnectSocketAsync(loop, endpoint, cancellationToken);
        var connection = Connection.Create(loop, options, protocol => new SocketTransport(loop, socket, protocol));
        await connection.Transport.WhenConnectionMadeAsync();
        return connection;
    }

    private static void Accept(Loop loop, Server server, Socket socket, Func<Connection, LoopTask> handler, ConnectionOptions? options)
    {
        var connection = new Connection(loop, options);
        // A connection is finished for the server when both its handler has returned and its
        // transport has closed.
        int unfinishedParts = 2;
        void PartDone()
        {
            if (--unfinishedParts == 0) server.ConnectionFinished();
        }
        connection.Connected = c => loop.Spawn(() => RunHandlerAsync(loop, c, handler, PartDone));
        var transport = new SocketTransport(loop, socket, connection.Protocol, closed =>
        {
            server.Untrack(closed);
            PartDone();
        });
        connection.Attach(transport);
        server.Track(transport);
    }

    private static async LoopTask RunHandlerAsync(Loop loop, Connection connection, Func<Connection, LoopTask> handler, Action done)
    {
        try
        {
            await handler(connection);
        }
        catch (OperationCanceledException)
        {
            // Cancelled (the loop is shutting down, for example): not a failure.
        }
        catch (Exception e) when (connection.IsOwnEnd(e))
        {
            // The peer reset or ended the connection while the handler read: normal, not a failure.
            NetLog.HandlerEndedByConnectionLoss(NetLog.For(loop), connection, e.Message);
        }
        catch (Exception e)
        {
            // The same channel as protocol code that throws: the loop's exception handler.
            loop.ReportException(new LoopExceptionContext("The stream handler threw; closing the connection", e, $"handler for {connection}"));
        }
        finally
        {
            connection.Close();
            done();
        }
    }
}
