using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

/// <summary>
/// Writes made during one iteration go out with one send at its end (step 5), and close, half-close
/// and abort made in the same iteration keep their documented order. The peer is a plain blocking
/// socket, so what arrives is what the kernel got.
/// </summary>
[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class WriteCoalescingTests(SelectorKind selector) : NetTestBase(selector)
{
    private Socket _peer = null!;
    private SocketTransport _transport = null!;
    private RecordingProtocol _protocol = null!;

    private sealed class RecordingProtocol(Loop loop) : IProtocol
    {
        public readonly LoopFuture<bool> Lost = loop.CreateFuture<bool>();
        public readonly LoopFuture<bool> Eof = loop.CreateFuture<bool>();
        public readonly MemoryStream Received = new();
        public readonly List<string> Events = new();
        public Exception? LostWith;
        public void ConnectionMade(ITransport transport) => Events.Add("made");
        public void DataReceived(ReadOnlySpan<byte> data) => Received.Write(data);
        public bool EofReceived()
        {
            Events.Add("eof");
            Eof.TrySetResult(true);
            return true;
        }
        public void ConnectionLost(Exception? error)
        {
            Events.Add("lost");
            LostWith = error;
            Lost.TrySetResult(true);
        }
        public void PauseWriting() => Events.Add("pause");
        public void ResumeWriting() => Events.Add("resume");
    }

    [SetUp]
    public void Connect()
    {
        var (ours, peer) = LoopbackSocketPair.Create();
        _peer = peer;
        _peer.Blocking = true;
        _peer.ReceiveTimeout = 10_000;
        _protocol = new RecordingProtocol(Loop);
        _transport = new SocketTransport(Loop, ours, _protocol);
        Loop.RunUntilIdle(); // ConnectionMade
    }

    [TearDown]
    public void ClosePeer() => _peer.Dispose();

    /// <summary>Runs <paramref name="writes"/> as a callback of the next iteration, and only that iteration.</summary>
    private void InOneIteration(Action writes)
    {
        Loop.CallSoon(writes);
        Loop.RunOnce(TimeSpan.Zero);
    }

    private static byte[] Piece(int i) => RandomBytes(1 + i * 37 % 500, seed: i);

    private byte[] ReceiveAtLeast(int count)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (received.Length < count)
        {
            int n = _peer.Receive(buffer);
            if (n == 0) break;
            received.Write(buffer, 0, n);
        }
        return received.ToArray();
    }

    private (byte[] Bytes, SocketError End) ReceiveToEnd()
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = _peer.Receive(buffer)) > 0) received.Write(buffer, 0, n);
            return (received.ToArray(), SocketError.Success);
        }
        catch (SocketException e)
        {
            return (received.ToArray(), e.SocketErrorCode);
        }
    }

    [Test]
    public void AHundredWritesInOneIteration_ReachThePeerIntactAndInOrder_WithOneSend()
    {
        var expected = Enumerable.Range(0, 100).SelectMany(Piece).ToArray();

        InOneIteration(() =>
        {
            for (int i = 0; i < 100; i++) _transport.Write(Piece(i));
            Assert.That(_transport.SendCalls, Is.Zero, "nothing is sent while the iteration's callbacks run");
        });

        Assert.That(_transport.SendCalls, Is.EqualTo(1));
        Assert.That(_transport.WriteBufferSize, Is.Zero);
        Assert.That(ReceiveAtLeast(expected.Length), Is.EqualTo(expected));
        for (int i = 0; i < 5; i++) Loop.RunOnce(TimeSpan.Zero);
        Assert.That(_transport.SendCalls, Is.EqualTo(1), "a transport with nothing pending is not flushed again");
    }

    [Test]
    public void WritesThroughAConnection_CoalesceTheSameWay()
    {
        var (ours, peer) = LoopbackSocketPair.Create();
        using var _ = peer;
        peer.Blocking = true;
        peer.ReceiveTimeout = 10_000;
        var connection = Connection.Create(Loop, null, p => new SocketTransport(Loop, ours, p));

        InOneIteration(() =>
        {
            for (int i = 0; i < 50; i++) connection.WriteLine($"line {i}");
        });

        Assert.That(((SocketTransport)connection.Transport).SendCalls, Is.EqualTo(1));
        var text = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        var expected = string.Concat(Enumerable.Range(0, 50).Select(i => $"line {i}\n"));
        while (text.Length < expected.Length) text.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, peer.Receive(buffer)));
        Assert.That(text.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void WriteThenClose_InOneIteration_SendsEverythingThenEndsTheStream()
    {
        var data = RandomBytes(200_000, seed: 11); // more than one send's worth on a small socket buffer

        InOneIteration(() =>
        {
            _transport.Write(data);
            _transport.Close();
        });
        Wait(_protocol.Lost);

        var (bytes, end) = ReceiveToEnd();
        Assert.That(end, Is.EqualTo(SocketError.Success), "a clean end of stream, not a reset");
        Assert.That(bytes.AsSpan().SequenceEqual(data), Is.True, "every byte, in order");
        Assert.That(_protocol.LostWith, Is.Null);
    }

    [Test]
    public void WriteThenWriteEof_InOneIteration_SendsEverythingThenTheEnd_AndReadingGoesOn()
    {
        var data = RandomBytes(10_000, seed: 12);

        InOneIteration(() =>
        {
            _transport.Write(data);
            _transport.WriteEof();
        });
        var (bytes, end) = ReceiveToEnd();
        _peer.Send("reply after your end"u8);
        _peer.Shutdown(SocketShutdown.Send);
        Wait(_protocol.Eof);

        Assert.That(end, Is.EqualTo(SocketError.Success));
        Assert.That(bytes, Is.EqualTo(data));
        Assert.That(_protocol.Received.ToArray(), Is.EqualTo("reply after your end"u8.ToArray()));
        Assert.That(_protocol.Events, Does.Not.Contain("lost"), "half-closed, still open");
    }

    [Test]
    public void WriteThenAbort_InOneIteration_DropsWhatWasWritten_AndResetsThePeer()
    {
        InOneIteration(() =>
        {
            _transport.Write(RandomBytes(5_000, seed: 13));
            _transport.Abort();
        });
        Wait(_protocol.Lost);

        var (bytes, end) = ReceiveToEnd();
        Assert.That(bytes, Is.Empty, "nothing written in the aborted iteration was sent");
        Assert.That(end, Is.EqualTo(SocketError.ConnectionReset));
        Assert.That(_transport.SendCalls, Is.Zero);
    }

    [Test]
    public void MoreThanTheSocketTakes_WaitsForWritable_PausesAndResumesTheProtocol_NothingLost()
    {
        var data = RandomBytes(8 * 1024 * 1024, seed: 14);

        InOneIteration(() => _transport.Write(data));
        Assert.That(_protocol.Events, Does.Contain("pause"), "above the high-water mark after the first flush");
        Assert.That(_transport.WriteBufferSize, Is.GreaterThan(0), "the kernel could not take 8 MiB at once");

        byte[] received = [];
        var reader = new Thread(() => received = ReceiveAtLeast(data.Length));
        reader.Start();
        _transport.Close(); // completes once everything is sent
        Wait(_protocol.Lost);
        reader.Join();

        Assert.That(received.AsSpan().SequenceEqual(data), Is.True, "every byte, in order");
        Assert.That(_protocol.Events.Count(e => e == "resume"), Is.EqualTo(1));
    }

    /// <summary>Runs the loop until <paramref name="event"/> happens; fails after 10 s of real time instead of hanging.</summary>
    private void Wait(LoopFuture<bool> @event) => Loop.RunUntilComplete(Loop.WaitForAsync(@event.Task, TimeSpan.FromSeconds(10)));
}
