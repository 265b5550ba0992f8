using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class ProtocolTests(SelectorKind selector) : NetTestBase(selector)
{
    /// <summary>Echoes everything back; records the callbacks it saw.</summary>
    private sealed class EchoProtocol : IProtocol
    {
        public ITransport? Transport;
        public readonly List<string> Events = new();

        public void ConnectionMade(ITransport transport)
        {
            Transport = transport;
            Events.Add("made");
        }

        public void DataReceived(ReadOnlySpan<byte> data) => Transport!.Write(data);

        public bool EofReceived()
        {
            Events.Add("eof");
            return false;
        }

        public void ConnectionLost(Exception? error) => Events.Add(error is null ? "lost" : $"lost:{error.GetType().Name}");
    }

    /// <summary>Collects what arrives and completes a future at end of stream.</summary>
    private sealed class CollectingProtocol(LoopFuture<byte[]> done) : IProtocol
    {
        private readonly MemoryStream _received = new();
        public ITransport? Transport;
        public int LostCalls;
        public bool LostInsideCall;
        public bool InCall;

        public void ConnectionMade(ITransport transport) => Transport = transport;

        public void DataReceived(ReadOnlySpan<byte> data) => _received.Write(data);

        public bool EofReceived()
        {
            done.TrySetResult(_received.ToArray());
            return false;
        }

        public void ConnectionLost(Exception? error)
        {
            LostCalls++;
            LostInsideCall |= InCall;
            done.TrySetResult(_received.ToArray());
        }
    }

    [Test]
    public void EchoThroughProtocolsOverLoopback()
    {
        var data = RandomBytes(512 * 1024, seed: 3);
        var echo = new EchoProtocol();
        var received = Run(async () =>
        {
            var server = await Loop.CreateServerAsync(() => echo);
            var done = Loop.CreateFuture<byte[]>();
            var (transport, client) = await Loop.CreateConnectionAsync(() => new CollectingProtocol(done), server.LocalEndPoint);
            transport.Write(data);
            transport.WriteEof();
            var bytes = await done.Task;
            transport.Close();
            server.Close();
            await server.WaitClosedAsync();
            return bytes;
        });

        Assert.That(received, Is.EqualTo(data));
        Assert.That(echo.Events, Is.EqualTo(new[] { "made", "eof", "lost" }));
    }

    [Test]
    public void ConnectionLostIsCalledOnceAndNeverInsideWriteOrClose()
    {
        var done = Loop.CreateFuture<byte[]>();
        var protocol = new CollectingProtocol(done);
        Run(async () =>
        {
            var server = await Loop.CreateServerAsync(() => new EchoProtocol());
            var (transport, _) = await Loop.CreateConnectionAsync(() => protocol, server.LocalEndPoint);
            protocol.InCall = true;
            transport.Write("x"u8);
            transport.Close();
            transport.Close();
            transport.Abort();
            protocol.InCall = false;
            await done.Task;
            await Loop.Delay(TimeSpan.FromMilliseconds(10));
            server.Close();
        });

        Assert.That(protocol.LostCalls, Is.EqualTo(1));
        Assert.That(protocol.LostInsideCall, Is.False);
    }

    [Test]
    public void AProtocolThatThrowsInDataReceivedLosesOnlyItsConnection()
    {
        var outcome = Run(async () =>
        {
            var server = await Loop.CreateServerAsync(() => new ThrowingProtocol());
            var failing = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            failing.WriteLine("anything");
            var end = await failing.ReadLineAsync(); // the server closed it
            var echoServer = await Loop.StartServerAsync(EchoHandler);
            var fine = await Loop.OpenConnectionAsync(echoServer.LocalEndPoint);
            fine.WriteLine("ok");
            var reply = await fine.ReadLineAsync();
            server.Close();
            echoServer.Close();
            return (end, reply);
        });

        Assert.That(outcome.end, Is.Null);
        Assert.That(outcome.reply, Is.EqualTo("ok"));
        Assert.That(Reported.Single().Message, Does.Contain("DataReceived"));
    }

    private sealed class ThrowingProtocol : IProtocol
    {
        public void ConnectionMade(ITransport transport) { }
        public void DataReceived(ReadOnlySpan<byte> data) => throw new FormatException("bad frame");
        public void ConnectionLost(Exception? error) { }
    }

    [Test]
    public void PauseWritingAndResumeWritingFollowTheWaterMarks()
    {
        var events = Run(async () =>
        {
            var log = new List<string>();
            var readerReady = Loop.CreateFuture<Connection>();
            var server = await Loop.StartServerAsync(async c =>
            {
                readerReady.TrySetResult(c);
                await c.WaitClosedAsync();
            });
            var protocol = new FlowProtocol(log);
            var (transport, _) = await Loop.CreateConnectionAsync(() => protocol, server.LocalEndPoint);
            transport.SetWriteBufferLimits(high: 256 * 1024);
            for (int i = 0; i < 64; i++) transport.Write(new byte[64 * 1024]); // 4 MiB: far past the mark
            var reader = await readerReady.Task;
            var sink = new byte[64 * 1024];
            int total = 0;
            while (total < 64 * 64 * 1024) total += await reader.ReadAsync(sink);
            await Loop.Delay(TimeSpan.FromMilliseconds(5));
            transport.Close();
            server.Close();
            return log;
        });

        Assert.That(events, Is.EqualTo(new[] { "pause", "resume" }));
    }

    private sealed class FlowProtocol(List<string> log) : IProtocol
    {
        public void ConnectionMade(ITransport transport) { }
        public void DataReceived(ReadOnlySpan<byte> data) { }
        public void ConnectionLost(Exception? error) { }
        public void PauseWriting() => log.Add("pause");
        public void ResumeWriting() => log.Add("resume");
    }

    [Test]
    public void BadWriteBufferLimitsAreRefused()
    {
        Run(async () =>
        {
            var server = await Loop.CreateServerAsync(() => new EchoProtocol());
            var (transport, _) = await Loop.CreateConnectionAsync(() => new EchoProtocol(), server.LocalEndPoint);
            Assert.Throws<ArgumentOutOfRangeException>(() => transport.SetWriteBufferLimits(high: 10, low: 20));
            Assert.Throws<ArgumentOutOfRangeException>(() => transport.SetWriteBufferLimits(low: -1));
            transport.WriteEof();
            Assert.Throws<InvalidOperationException>(() => transport.Write("late"u8));
            transport.Close();
            server.Close();
        });
    }
}
