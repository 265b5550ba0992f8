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
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint)
    {
        var log = logging.CreateLogger("echo-sockets");
        using var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(endpoint);
        listener.Listen(100);
        Console.Out.WriteLine($"echo-sockets listening on {listener.LocalEndPoint}");
        Console.Out.Flush();
        log.LogInformation("echo-sockets listening on {EndPoint}", listener.LocalEndPoint);
        var clients = new List<LoopTask>();
        try
        {
            while (true)
            {
                var client = await loop.AcceptAsync(listener);
                clients.RemoveAll(t => t.IsCompleted);
                clients.Add(loop.Spawn(() => EchoAsync(loop, client, log)));
            }
        }
        finally
        {
            foreach (var task in clients) task.Cancel(); // each closes its socket in its finally
        }
    }

    private static async LoopTask EchoAsync(Loop loop, Socket client, ILogger log)
    {
        using (client)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    int n = await loop.ReceiveAsync(client, buffer);
                    if (n == 0) break;
                    await loop.SendAllAsync(client, buffer.AsMemory(0, n));
                }
            }
            catch (SocketException e)
            {
                ClientLog.WentAway(log, client.RemoteEndPoint, e.SocketErrorCode.ToString());
            }
        }
    }

    /// <summary>The <c>echo-sockets</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand()
    {
        var command = new ServerCommand("echo-sockets", $"Echo server on raw socket awaits (default port {EchoSample.DefaultPort})", EchoSample.DefaultPort);
        command.Command.SetAction(parsed => SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed))));
        return command.Command;
    }
}
