using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// One generator connection: keeps <c>depth</c> messages of <c>size</c> bytes in flight, checks
/// every byte that comes back against what was sent (<see cref="BytePattern"/>), and records
/// each message's round trip, from its send to the arrival of its last byte. When several
/// messages complete in one receive, their replacements go out in one send (that is what
/// pipelining clients do). Socket.*Async: with inline completions it all runs on the runtime's
/// epoll thread, no thread switch per message.
/// </summary>
internal sealed class EchoClient : IDisposable
{
    private const int MaxReceive = 64 * 1024;
    private readonly int _id;
    private readonly int _size;
    private readonly int _depth;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly BytePattern _pattern;
    private readonly byte[] _received;
    private readonly long[] _sentAt; // send timestamp of message m at m % depth
    private long _sentBytes, _receivedBytes, _sentMessages, _doneMessages;

    public EchoClient(int id, int size, int depth)
    {
        _id = id;
        _size = size;
        _depth = depth;
        _received = new byte[Math.Min(MaxReceive, size * depth)];
        _pattern = new BytePattern(seed: id + 1, maxChunk: Math.Max(size * depth, _received.Length));
        _sentAt = new long[depth];
    }

    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Messages completed while the phase was measuring.</summary>
    public long MeasuredMessages => Latencies.Count;

    public Task ConnectAsync(int port, CancellationToken cancellationToken) =>
        _socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).AsTask();

    /// <summary>Runs until the phase is stopping and every message sent has come back.</summary>
    /// <exception cref="EchoVerificationException">A byte differed, or the server closed early.</exception>
    public async Task RunAsync(LoadPhase phase, CancellationToken cancellationToken)
    {
        await SendAsync(_depth, cancellationToken);
        while (_doneMessages < _sentMessages)
        {
            int n = await _socket.ReceiveAsync(_received, SocketFlags.None, cancellationToken);
            if (n == 0)
                throw new EchoVerificationException($"Connection {_id}: the server closed it with {_sentBytes - _receivedBytes} bytes not echoed.");
            if (_receivedBytes + n > _sentBytes)
                throw new EchoVerificationException($"Connection {_id}: {_receivedBytes + n - _sentBytes} more bytes came back than were sent.");
            Verify(_received.AsSpan(0, n));
            _receivedBytes += n;
            long done = _receivedBytes / _size;
            if (done == _doneMessages) continue;
            long now = Stopwatch.GetTimestamp();
            bool measuring = phase.IsMeasuring;
            for (long m = _doneMessages; m < done; m++)
            {
                if (measuring) Latencies.Record(now - _sentAt[m % _depth]);
            }
            int completed = (int)(done - _doneMessages);
            _doneMessages = done;
            if (!phase.IsStopping) await SendAsync(completed, cancellationToken);
        }
        // Everything came back. Half-close and expect the server's close with nothing more: an
        // echo that sends extra bytes fails here.
        _socket.Shutdown(SocketShutdown.Send);
        int extra = await _socket.ReceiveAsync(_received, SocketFlags.None, cancellationToken);
        if (extra != 0) throw new EchoVerificationException($"Connection {_id}: {extra} bytes came back that were never sent.");
    }

    private async Task SendAsync(int messages, CancellationToken cancellationToken)
    {
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < messages; i++) _sentAt[(_sentMessages + i) % _depth] = now;
        var bytes = _pattern.At(_sentBytes, messages * _size);
        _sentMessages += messages;
        _sentBytes += bytes.Length;
        // On a stream socket SendAsync completes once every byte is handed to the kernel.
        await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
    }

    private void Verify(ReadOnlySpan<byte> chunk)
    {
        var expected = _pattern.At(_receivedBytes, chunk.Length).Span;
        if (chunk.SequenceEqual(expected)) return;
        int at = chunk.CommonPrefixLength(expected);
        throw new EchoVerificationException(
            $"Connection {_id}: byte {_receivedBytes + at} of the stream (message {(_receivedBytes + at) / _size}) came back as 0x{chunk[at]:x2}, sent 0x{expected[at]:x2}.");
    }

    public void Dispose() => _socket.Dispose();
}
