using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Echo;

/// <summary>
/// The low-level style: raw non-blocking sockets with <c>AcceptAsync</c>, <c>ReceiveAsync</c>
/// and <c>SendAllAsync</c> (asyncio's sock_accept / sock_recv / sock_sendall).
/// </summary>
public static class EchoSocketsSample
{
    /// <summary>Accepts forever, one spawned task a client, until cancelled.</summary>
    /// <remarks>
    /// <c>AcceptAsync</c> hands out the connections a readiness event brought as a batch, and
    /// refuses connections itself when the process runs out of descriptors, so this loop never
    /// ends on an accept error; the connection limit is this loop's own count.
    /// </remarks>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, ServerOptions? options = null)
    {
        var log = logging.CreateLogger("echo-sockets");
        int maxConnections = options?.MaxConnections ?? int.MaxValue;
        using var listener = ServerSocket.Listen(endpoint, options); // the system's backlog; "address already in use" if taken
        Console.Out.WriteLine($"echo-sockets listening on {listener.LocalEndPoint}");
        Console.Out.Flush();
        log.LogInformation("echo-sockets listening on {EndPoint}", listener.LocalEndPoint);
        var clients = new Dictionary<Socket, LoopTask>();
        try
        {
            while (true)
            {
                var client = await loop.AcceptAsync(listener);
                if (clients.Count >= maxConnections)
                {
                    client.Dispose(); // full: the client sees its connection end at once
                    continue;
                }
                var task = loop.Spawn(() => EchoAsync(loop, client, log, clients));
                if (!task.IsCompleted) clients[client] = task;
            }
        }
        finally
        {
            foreach (var task in clients.Values.ToArray()) task.Cancel(); // each closes its socket in its finally
        }
    }

    private static async LoopTask EchoAsync(Loop loop, Socket client, ILogger log, Dictionary<Socket, LoopTask> clients)
    {
        using (client)
        {
            try
            {
                while (true)
                {
                    await loop.WaitReadableAsync(client); // hold no buffer while the client is quiet
                    var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                    try
                    {
                        int n = await loop.ReceiveAsync(client, buffer); // completes at once: data is there
                        if (n == 0) break;
                        await loop.SendAllAsync(client, buffer.AsMemory(0, n));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (SocketException e)
            {
                ClientLog.WentAway(log, client.RemoteEndPoint, e.SocketErrorCode.ToString());
            }
            finally
            {
                clients.Remove(client);
            }
        }
    }

    /// <summary>The <c>echo-sockets</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand()
    {
        var command = new ServerCommand("echo-sockets", $"Echo server on raw socket awaits (default port {EchoSample.DefaultPort})", EchoSample.DefaultPort);
        command.Command.SetAction(parsed => SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed), command.ServerOptions(parsed))));
        return command.Command;
    }
}
