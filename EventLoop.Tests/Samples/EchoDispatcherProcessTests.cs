using System.Net;
using System.Net.Sockets;

namespace EventLoop.Tests.Samples;

/// <summary>echo-dispatcher as a user runs it: echoes, then exits 0 on SIGTERM.</summary>
[Platform("Linux")]
[NonParallelizable]
public class EchoDispatcherProcessTests
{
    [Test]
    public void EchoesAndExitsZeroOnSigterm()
    {
        using var process = new SampleProcess("echo-dispatcher", "--port", "0");
        int port = process.ReadListeningPort();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 })
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            socket.Send("hello\n"u8);
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[64];
            int total = 0, n;
            while ((n = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None)) > 0) total += n;
            Assert.That(System.Text.Encoding.ASCII.GetString(buffer, 0, total), Is.EqualTo("hello\n"));
        }

        process.Terminate();

        Assert.That(process.WaitForExit(), Is.Zero);
    }
}
