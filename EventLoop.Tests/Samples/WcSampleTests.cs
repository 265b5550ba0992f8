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

    [Test]
    public void AClientThatResetsIsCountedLikeOneThatFinished_AndNoErrorIsLogged()
    {
        var counts = Run(async () =>
        {
            var reported = Loop.CreateFuture<string>();
            var server = await Loop.StartServerAsync(c => WcSample.HandleAsync(Loop, c, Logs.CreateLogger("wc"), counts => reported.TrySetResult(counts)));
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.Write("a b\nc\n"u8);
            await client.ReadExactlyAsync(6); // echoed: it is in wc's input too
            client.Abort();                   // RST
            server.Close();
            await server.WaitClosedAsync();   // the handler has returned
            Assert.That(reported.Task.IsCompleted, Is.True, "the counts were reported");
            return await reported.Task;
        });

        Assert.That(counts.Split(' ', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "2", "3", "6" }));
        Assert.That(Reported, Is.Empty);
    }

    [Test]
    public void AWcStoppedBeforeItCounts_PrintsNoEmptyCounts_AndTheServerStillStopsCleanly()
    {
        // Ctrl+C in a terminal reaches the whole process group: wc dies along with the server's shutdown.
        using var process = new SampleProcess("wc", "--port", "0");
        int port = process.ReadListeningPort();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        socket.Send("a b\n"u8);
        var back = new byte[4];
        for (int total = 0; total < back.Length;) total += socket.Receive(back, total, back.Length - total, SocketFlags.None);
        process.TerminateChild("wc");

        process.Terminate();

        Assert.That(socket.Receive(new byte[16]), Is.Zero, "the server closed the connection");
        Assert.That(process.WaitForExit(), Is.Zero);
        Assert.That(process.ReadRemainingLines(), Is.Empty, "no 'wc:' line without counts");
    }
}
