using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;
using EventLoop.Samples.Wc;
using EventLoop.Tests.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples;

[Platform("Linux")]
public class WcSampleTests : NetTestBase
{
    [Test]
    public void EchoesAndReportsWcsCountsWhenTheClientDisconnects()
    {
        var text = "one two three\nfour five\nsix\n";
        var (echoed, counts) = Run(async () =>
        {
            var reported = Loop.CreateFuture<string>();
            var server = await Loop.StartServerAsync(c => WcSample.HandleAsync(Loop, c, NullLogger.Instance, counts => reported.TrySetResult(counts)));
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.Write(Encoding.UTF8.GetBytes(text));
            client.ShutdownWrite();
            var echoed = await client.ReadToEndAsync();
            var counts = await reported.Task;
            server.Close();
            return (echoed, counts);
        });

        Assert.That(echoed, Is.EqualTo(text));
        Assert.That(counts.Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "3", "6", text.Length.ToString() }));
    }

    [Test]
    public void TheRealWcProcessPrintsCountsAndExitsZeroOnSigterm()
    {
        using var process = new SampleProcess("wc", "--port", "0");
        int port = process.ReadListeningPort();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 })
        {
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            socket.Send("a b\nc\n"u8);
            socket.Shutdown(SocketShutdown.Send);
            var back = new byte[64];
            int total = 0, n;
            while ((n = socket.Receive(back, total, back.Length - total, SocketFlags.None)) > 0) total += n;
            Assert.That(Encoding.UTF8.GetString(back, 0, total), Is.EqualTo("a b\nc\n"));
        }
        Assert.That(process.ReadLine().Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "wc:", "2", "3", "6" }));

        process.Terminate();

        Assert.That(process.WaitForExit(), Is.Zero);
    }
}
