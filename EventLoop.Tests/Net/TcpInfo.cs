using System.Net;
using System.Net.Sockets;

namespace EventLoop.Tests.Net;

/// <summary>What Linux knows about a TCP socket and a listener, for tests that must see inside the kernel without timing anything.</summary>
public static class TcpInfo
{
    private const int IpProtoTcp = 6, TcpInfoOption = 11;
    private const int TotalRetransOffset = 100; // struct tcp_info: 8 one-byte fields, then 23 u32 before tcpi_total_retrans

    /// <summary>
    /// Segments this socket has sent again (tcpi_total_retrans), its SYN included: a connect
    /// whose SYN the listener dropped because its queue was full counts one here.
    /// </summary>
    public static int Retransmissions(Socket socket)
    {
        var info = new byte[256];
        int length = socket.GetRawSocketOption(IpProtoTcp, TcpInfoOption, info);
        Assert.That(length, Is.GreaterThanOrEqualTo(TotalRetransOffset + 4), "tcp_info too short");
        return BitConverter.ToInt32(info, TotalRetransOffset);
    }

    /// <summary>
    /// Connections completed by the kernel and waiting in the accept queue of the IPv4 listener on
    /// <paramref name="port"/> (the rx_queue column /proc/net/tcp shows for a listening socket).
    /// </summary>
    public static int AcceptQueueLength(int port)
    {
        string local = $":{port:X4}";
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1].EndsWith(local, StringComparison.Ordinal) && fields[3] == "0A") // 0A: LISTEN
                return Convert.ToInt32(fields[4].Split(':')[1], 16);
        }
        throw new InvalidOperationException($"Nothing listens on port {port}.");
    }

    /// <summary>Waits (spinning, bounded) until the listener's accept queue holds <paramref name="count"/>: the kernel may finish a loopback handshake just after connect returns.</summary>
    public static void WaitForAcceptQueue(EndPoint listener, int count)
    {
        int port = ((IPEndPoint)listener).Port;
        if (!SpinWait.SpinUntil(() => AcceptQueueLength(port) >= count, TimeSpan.FromSeconds(10)))
            Assert.Fail($"the accept queue holds {AcceptQueueLength(port)} connections, expected {count}");
    }
}
