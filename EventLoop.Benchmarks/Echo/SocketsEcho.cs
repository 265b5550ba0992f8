using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// Server 3: raw socket awaits (asyncio's sock_accept / sock_recv / sock_sendall), written as
/// the <c>echo-sockets</c> sample is: one task a client, a buffer of its own, receive then send-all.
/// </summary>
internal static class SocketsEcho
{
    /// <summary>Accepts until the listener fails or the task is cancelled; one spawned handler a client.</summary>
    public static async LoopTask AcceptForever(Loop loop, Socket listener)
    {
        while (true)
        {
            var client = await loop.AcceptAsync(listener);
            _ = loop.Spawn(() => Handle(loop, client)); // the loop holds spawned tasks and reports their failures
        }
    }

    private static async LoopTask Handle(Loop loop, Socket client)
    {
        EchoConnections.Opened();
        try
        {
            using (client)
            {
                var buffer = new byte[StreamsEcho.BufferSize];
                while (true)
                {
                    int n = await loop.ReceiveAsync(client, buffer);
                    if (n == 0) break;
                    await loop.SendAllAsync(client, buffer.AsMemory(0, n));
                }
            }
        }
        catch (SocketException)
        {
            // The generator resets its connections when it is done: the end of this client.
        }
        finally
        {
            EchoConnections.Closed();
        }
    }
}
