using System.Net;
using System.Net.Sockets;

namespace EventLoop.Tests.Samples.Gateway;

/// <summary>
/// The gateway and echo samples as a user runs them (two processes), the first backend down:
/// 50 clients at once send 1 MiB each through the gateway and get every byte back; both exit 0
/// on SIGTERM. Clients are plain blocking sockets on threads, as any program would use.
/// </summary>
[Platform("Linux")]
[NonParallelizable]
public class GatewayProcessTests
{
    private static byte[] EchoThrough(int port, byte[] payload)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 60_000, SendTimeout = 60_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var sending = Task.Run(() =>
        {
            socket.Send(payload);
            socket.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream(payload.Length);
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = socket.Receive(buffer)) > 0) received.Write(buffer, 0, n);
        sending.Wait();
        return received.ToArray();
    }

    [Test]
    public void FiftyClientsOfOneMiBEachThroughGatewayAndEchoProcesses()
    {
        int deadPort;
        using (var probe = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            deadPort = ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening, closed: refuses
        }
        using var echo = new SampleProcess("echo", "--port", "0");
        int echoPort = echo.ReadListeningPort();
        using var gateway = new SampleProcess("gateway", "--port", "0", "--to", $"127.0.0.1:{deadPort},127.0.0.1:{echoPort}");
        int gatewayPort = gateway.ReadListeningPort();

        var payloads = Enumerable.Range(0, 50).Select(i =>
        {
            var bytes = new byte[1024 * 1024];
            new Random(900 + i).NextBytes(bytes);
            return bytes;
        }).ToArray();
        var results = payloads.AsParallel().WithDegreeOfParallelism(50).Select(p => EchoThrough(gatewayPort, p)).ToArray();

        for (int i = 0; i < payloads.Length; i++) Assert.That(results[i].SequenceEqual(payloads[i]), Is.True, $"client {i}");
        gateway.Terminate();
        echo.Terminate();
        Assert.That(gateway.WaitForExit(), Is.Zero);
        Assert.That(echo.WaitForExit(), Is.Zero);
        var sessions = gateway.Errors.Where(line => line.Contains("1048576 bytes up, 1048576 bytes down")).ToList();
        Assert.That(sessions, Has.Count.EqualTo(50), "one log line per connection with the bytes each way:\n" + string.Join('\n', gateway.Errors.Take(5)));
    }
}
