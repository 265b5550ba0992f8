using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EventLoop.Benchmarks.Burst;

/// <summary>What one burst measured: from the first connect to the last echo, the server's CPU time in it, and how many clients had to send something twice.</summary>
internal readonly record struct BurstResult(TimeSpan Elapsed, TimeSpan ServerCpu, int Retransmitted);

/// <summary>
/// The burst: N connections opened back to back (each connect issued without waiting for the
/// others), each sending one byte and waiting for it to come back. The clock stops at the last
/// echo. Clients then close normally (a reset would be logged by some servers, and that work
/// would land in the next measurement), and one more round trip makes sure the server has
/// seen every close before the caller goes on.
/// </summary>
internal static class BurstClients
{
    private const int IpProtoTcp = 6, TcpInfoOption = 11, TotalRetransOffset = 100; // Linux struct tcp_info

    public static async Task<BurstResult> RunAsync(BurstTarget server, int count, TimeSpan limit)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        var sockets = new Socket[count];
        var clients = new Task[count];
        using var cancel = new CancellationTokenSource(limit);
        BurstResult result;
        try
        {
            var cpuBefore = server.ProcessorTime;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                clients[i] = EchoOnceAsync(sockets[i], endpoint, (byte)i, cancel.Token);
            }
            await Task.WhenAll(clients);
            var elapsed = clock.Elapsed;
            var serverCpu = server.ProcessorTime - cpuBefore;
            result = new BurstResult(elapsed, serverCpu, sockets.Count(WasRetransmitted));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{clients.Count(c => c.IsCompletedSuccessfully)} of {count} clients were echoed within {limit.TotalSeconds:0} s.");
        }
        finally
        {
            foreach (var socket in sockets) socket?.Dispose();
        }
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            using var timeout = new CancellationTokenSource(limit);
            await EchoOnceAsync(probe, endpoint, 42, timeout.Token);
        }
        return result;
    }

    private static async Task EchoOnceAsync(Socket socket, EndPoint endpoint, byte value, CancellationToken cancellationToken)
    {
        await socket.ConnectAsync(endpoint, cancellationToken);
        var buffer = new byte[] { value };
        await socket.SendAsync(buffer, SocketFlags.None, cancellationToken);
        buffer[0] = (byte)~value;
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
        if (n != 1 || buffer[0] != value) throw new InvalidOperationException($"A client got {n} byte(s) back, not its echo.");
    }

    /// <summary>A connect whose SYN a full accept queue dropped is sent again after a second: one retransmission.</summary>
    private static bool WasRetransmitted(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return false;
        var info = new byte[256];
        return socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, info) >= TotalRetransOffset + 4
               && BitConverter.ToInt32(info, TotalRetransOffset) > 0;
    }
}
