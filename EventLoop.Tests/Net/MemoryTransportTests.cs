using EventLoop.Net;
using EventLoop.Testing;

namespace EventLoop.Tests.Net;

/// <summary>Stream code over the in-memory pair: no kernel, a manual clock, fully deterministic.</summary>
public class MemoryTransportTests
{
    private ManualClock _clock = null!;
    private Loop _loop = null!;

    [SetUp]
    public void CreateLoop()
    {
        _clock = new ManualClock { AutoAdvance = true };
        _loop = new Loop(new LoopOptions { TimeProvider = _clock });
    }

    [TearDown]
    public void DisposeLoop() => _loop.Dispose();

    [Test]
    public void LinesGoBothWaysAndTimeoutsRunOnTheManualClock()
    {
        var (client, server) = MemoryTransport.CreateConnectionPair(_loop);
        async LoopTask Server()
        {
            while (await server.ReadLineAsync() is { } line)
            {
                await _loop.Delay(TimeSpan.FromSeconds(5)); // "slow" processing: virtual time
                server.WriteLine($"echo {line}");
            }
            await server.CloseAsync();
        }
        async LoopTask<List<string?>> Client()
        {
            client.WriteLine("one"); // usable at once
            client.WriteLine("two");
            client.ShutdownWrite();
            var replies = new List<string?> { await client.ReadLineAsync(), await client.ReadLineAsync(), await client.ReadLineAsync() };
            return replies;
        }

        var serving = _loop.Spawn(Server);
        var replies = _loop.RunUntilComplete(Client());
        _loop.RunUntilComplete(serving);

        Assert.That(replies, Is.EqualTo(new[] { "echo one", "echo two", null }));
        Assert.That(_clock.Elapsed, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Echo as callbacks, for the protocol half of "both styles over the memory pair".</summary>
    private sealed class EchoProtocol : IProtocol
    {
        private ITransport? _transport;
        public int LostCalls;
        public void ConnectionMade(ITransport transport) => _transport = transport;
        public void DataReceived(ReadOnlySpan<byte> data) => _transport!.Write(data);
        public void ConnectionLost(Exception? error) => LostCalls++;
    }

    [Test]
    public void ProtocolEchoOverTheMemoryPair_AStreamClientGetsEveryByte()
    {
        var echo = new EchoProtocol();
        var client = MemoryPairs.ConnectionTo(_loop, echo, new MemoryPipeOptions { ChunkSize = 1000 });
        var data = new byte[300_000];
        new Random(5).NextBytes(data);

        async LoopTask<byte[]> Exchange()
        {
            client.Write(data);
            var back = new byte[data.Length];
            await client.ReadExactlyAsync(back);
            await client.CloseAsync();
            return back;
        }

        Assert.That(_loop.RunUntilComplete(Exchange()), Is.EqualTo(data));
        _loop.RunUntilIdle();
        Assert.That(echo.LostCalls, Is.EqualTo(1), "the echo side saw the close exactly once");
    }

    [Test]
    public void SmallChunksExercisePartialLinesAndNothingIsLost()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(_loop, pipeOptions: new MemoryPipeOptions { ChunkSize = 3 });
        async LoopTask<List<string>> Reader()
        {
            var lines = new List<string>();
            while (await b.ReadLineAsync() is { } line) lines.Add(line);
            return lines;
        }
        var reading = Reader();
        _loop.RunUntilIdle();

        a.WriteLine("hello world");
        a.WriteLine("");
        a.WriteLine("ünïcödé");
        a.ShutdownWrite();

        Assert.That(_loop.RunUntilComplete(reading), Is.EqualTo(new[] { "hello world", "", "ünïcödé" }));
    }

    [Test]
    public void ReadBackpressureBoundsWhatASlowReaderBuffers()
    {
        var options = new ConnectionOptions { Limit = 1024 };
        var (writer, reader) = MemoryTransport.CreateConnectionPair(_loop, options, new MemoryPipeOptions { ChunkSize = 512 });
        _loop.RunUntilIdle();

        writer.Write(new byte[100 * 1024]);
        _loop.RunUntilIdle();

        Assert.That(reader.BufferedCount, Is.EqualTo(2 * 1024), "the reader side stopped reading at exactly 2 x limit");
        Assert.That(writer.WriteBufferSize, Is.EqualTo(100 * 1024 - 2 * 1024 - 512), "the rest waits on the writer's side (512 B in the pipe)");

        async LoopTask<int> Drain()
        {
            int total = 0;
            var buffer = new byte[700];
            while (total < 100 * 1024) total += await reader.ReadAsync(buffer);
            return total;
        }
        Assert.That(_loop.RunUntilComplete(Drain()), Is.EqualTo(100 * 1024));
    }

    [Test]
    public void DrainWaitsUntilTheReaderTakesTheData()
    {
        var (writer, reader) = MemoryTransport.CreateConnectionPair(_loop, new ConnectionOptions { Limit = 1024 });
        writer.SetWriteBufferLimits(high: 4096);

        writer.Write(new byte[100_000]); // the pipe holds 64 KiB, the reader 2 KiB: the rest waits above the mark
        var drain = writer.DrainAsync();
        _loop.RunUntilIdle();
        Assert.That(drain.IsCompleted, Is.False);
        Assert.That(writer.WriteBufferSize, Is.GreaterThan(4096));

        async LoopTask<int> ReadAll()
        {
            var sink = new byte[100_000];
            await reader.ReadExactlyAsync(sink);
            return sink.Length;
        }
        var reading = ReadAll();
        _loop.RunUntilComplete(drain);
        Assert.That(writer.WriteBufferSize, Is.LessThanOrEqualTo(1024), "drained to the low-water mark (high / 4)");
        Assert.That(_loop.RunUntilComplete(reading), Is.EqualTo(100_000));
    }

    [Test]
    public void AbortLooksLikeAResetToThePeer()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(_loop);
        _loop.RunUntilIdle();
        var read = b.ReadLineAsync();

        a.Abort();

        var error = Assert.Catch<IOException>(() => _loop.RunUntilComplete(read));
        Assert.That(error!.InnerException, Is.TypeOf<System.Net.Sockets.SocketException>());
        _loop.RunUntilComplete(a.WaitClosedAsync());
        _loop.RunUntilComplete(b.WaitClosedAsync());
    }

    [Test]
    public void AnOverlongLineOverTheMemoryPairFollowsTheSameRule()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(_loop, new ConnectionOptions { Limit = 16 });
        _loop.RunUntilIdle();
        a.WriteLine("short");
        a.WriteLine(new string('z', 100));
        a.WriteLine("next");

        Assert.That(_loop.RunUntilComplete(b.ReadLineAsync()), Is.EqualTo("short"));
        Assert.Throws<LimitOverrunException>(() => _loop.RunUntilComplete(b.ReadLineAsync()));
        Assert.That(_loop.RunUntilComplete(b.ReadLineAsync()), Is.EqualTo("next"));
    }

    /// <summary>Throws in DataReceived; records how its connection ended.</summary>
    private sealed class ThrowingProtocol : IProtocol
    {
        public Exception? LostWith;
        public int LostCalls;
        public void ConnectionMade(ITransport transport) { }
        public void DataReceived(ReadOnlySpan<byte> data) => throw new FormatException("bad frame");
        public void ConnectionLost(Exception? error) => (LostWith, LostCalls) = (error, LostCalls + 1);
    }

    [Test]
    public void AProtocolThatThrows_IsReported_ItsPairCloses_AndOtherPairsKeepWorking()
    {
        var reported = new List<LoopExceptionContext>();
        _loop.ExceptionHandler = reported.Add;
        var thrower = new ThrowingProtocol();
        var failingClient = MemoryPairs.ConnectionTo(_loop, thrower);
        var (client, server) = MemoryTransport.CreateConnectionPair(_loop);

        async LoopTask<(string? Reply, string? FailingEnd)> Exchange()
        {
            failingClient.WriteLine("anything");
            var end = await failingClient.ReadLineAsync();
            client.WriteLine("still here");
            var line = await server.ReadLineAsync();
            return (line, end);
        }

        // Bounded: without the guard the failing pair never closes (virtual time: fails at once).
        var (reply, failingEnd) = _loop.RunUntilComplete(_loop.WaitForAsync(Exchange(), TimeSpan.FromSeconds(30)));
        _loop.RunUntilIdle();

        Assert.That(reported.Single().Message, Does.Contain("DataReceived"));
        Assert.That(reported.Single().Exception, Is.TypeOf<FormatException>());
        Assert.That(thrower.LostCalls, Is.EqualTo(1));
        Assert.That(thrower.LostWith, Is.TypeOf<FormatException>());
        Assert.That(failingEnd, Is.Null, "the other end sees the close, as over a socket");
        Assert.That(reply, Is.EqualTo("still here"));
    }

    [Test]
    public void WritingToAPeerThatClosed_IsDropped_AndWhatItSentBeforeAndItsEndStayReadable()
    {
        var (client, server) = MemoryTransport.CreateConnectionPair(_loop);
        server.WriteLine("408 too slow");
        server.Close();
        _loop.RunUntilComplete(server.WaitClosedAsync());

        client.WriteLine("one more header byte"); // as TCP would, the closed end takes nothing
        _loop.RunUntilIdle();

        Assert.That(_loop.RunUntilComplete(client.ReadLineAsync()), Is.EqualTo("408 too slow"));
        Assert.That(_loop.RunUntilComplete(client.ReadLineAsync()), Is.Null, "then the end of the stream, not a reset");
    }
}
