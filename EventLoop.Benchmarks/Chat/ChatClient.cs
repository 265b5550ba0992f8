using System.Diagnostics.CodeAnalysis;
using System.Text;
using EventLoop.Benchmarks.Load;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// One generator client, without its socket (the <see cref="ChatDriver"/> does the I/O, a test can
/// feed it bytes): it checks every byte it receives against the protocol and the plan, and, if it
/// is a sender, writes its next lines. It expects, in order: the welcome line, the name prompt,
/// its own join notice, the join notices of every later client (in join order), then only chat
/// lines — each well-formed, from a sender, and exactly the next line of that sender (so nothing
/// is missing, repeated or reordered) — and, once told the server is stopping, the shutdown line
/// and the end of the stream. Anything else throws <see cref="ChatVerificationException"/>.
/// </summary>
internal sealed class ChatClient
{
    private const int ReceiveBufferBytes = 16 * 1024;

    private enum Stage { Welcome, Prompt, OwnJoin, Chatting, ShutdownLine, EndOfStream, Closed }

    private readonly ChatRoomPlan _plan;
    private readonly byte[] _received = new byte[ReceiveBufferBytes];
    private readonly long[] _nextFromSlot; // per sender: the number of the line expected next
    private readonly long[] _sentAt = []; // per line in flight, by number modulo depth
    private readonly byte[] _output = [];
    private Stage _stage = Stage.Welcome;
    private int _receivedCount, _outputStart, _outputEnd;
    private int _nextJoinNotice;

    public ChatClient(ChatRoomPlan plan, int index)
    {
        _plan = plan;
        Index = index;
        Slot = plan.SlotOf(index);
        _nextFromSlot = new long[plan.Senders];
        if (Slot < 0) return;
        _sentAt = new long[plan.Depth];
        _output = new byte[plan.Depth * plan.LineBytes];
        Latencies = new LatencyHistogram();
    }

    public int Index { get; }

    /// <summary>Its sender slot, or -1 if it only listens.</summary>
    public int Slot { get; }

    /// <summary>The prompt has arrived: the server waits for the name.</summary>
    public bool WantsName => _stage == Stage.OwnJoin;

    /// <summary>Its own join notice has arrived.</summary>
    public bool HasJoined => _stage >= Stage.Chatting;

    /// <summary>Joined, and the join notices of every later client have arrived too.</summary>
    public bool SawEveryJoin => HasJoined && _nextJoinNotice == _plan.Clients;

    public bool IsClosed => _stage == Stage.Closed;

    /// <summary>Send-to-own-echo times of lines that came back while measuring (senders only).</summary>
    public LatencyHistogram? Latencies { get; }

    /// <summary>Its lines that have not come back yet.</summary>
    public int InFlight { get; private set; }

    /// <summary>Lines it may send now: one for each of its own that came back.</summary>
    public int Owed { get; private set; }

    public Span<byte> ReceiveSpace => _received.AsSpan(_receivedCount);

    public ReadOnlySpan<byte> PendingOutput => _output.AsSpan(_outputStart, _outputEnd - _outputStart);

    /// <summary>The name line to send after the prompt.</summary>
    public byte[] NameLine() => [.. _plan.Name(Index), (byte)'\n'];

    /// <summary>
    /// Takes <paramref name="count"/> bytes just received into <see cref="ReceiveSpace"/> and checks
    /// every complete line; returns how many chat lines they held. <paramref name="now"/> stamps
    /// its own lines' return; <paramref name="measuring"/> says whether to record that latency.
    /// </summary>
    public int Received(int count, long now, bool measuring)
    {
        _receivedCount += count;
        int chatLines = 0, at = 0;
        while (true)
        {
            var rest = _received.AsSpan(at, _receivedCount - at);
            if (_stage == Stage.Prompt)
            {
                // The prompt has no newline: it is complete once its bytes are here.
                int have = Math.Min(rest.Length, ChatWireText.Prompt.Length);
                if (!rest[..have].SequenceEqual(ChatWireText.Prompt.AsSpan(0, have))) Fail("expected the name prompt", rest[..have]);
                if (have < ChatWireText.Prompt.Length) break;
                at += have;
                _stage = Stage.OwnJoin;
                continue;
            }
            int newline = rest.IndexOf((byte)'\n');
            if (newline < 0) break;
            if (OnLine(rest[..newline], now, measuring)) chatLines++;
            at += newline + 1;
        }
        _receivedCount -= at;
        _received.AsSpan(at, _receivedCount).CopyTo(_received);
        if (_receivedCount == _received.Length) Fail("a line longer than the receive buffer", _received);
        return chatLines;
    }

    /// <summary>Feeds bytes as if received (for tests and for data already in hand).</summary>
    public int Feed(ReadOnlySpan<byte> data, long now = 0, bool measuring = false)
    {
        int lines = 0;
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, ReceiveSpace.Length);
            data[..n].CopyTo(ReceiveSpace);
            lines += Received(n, now, measuring);
            data = data[n..];
        }
        return lines;
    }

    /// <summary>From now on the next line must be the shutdown line, then the end of the stream.</summary>
    public void ExpectShutdown()
    {
        if (_stage != Stage.Chatting) throw new InvalidOperationException($"{Who}: not chatting ({_stage}).");
        _stage = Stage.ShutdownLine;
    }

    /// <summary>The server closed the connection.</summary>
    public void EndOfStream()
    {
        if (_stage != Stage.EndOfStream) Fail($"the server closed the connection while the client expected {Expected()}", []);
        if (_receivedCount > 0) Fail("bytes after the shutdown line", _received.AsSpan(0, _receivedCount));
        _stage = Stage.Closed;
    }

    /// <summary>Writes up to <paramref name="count"/> next lines to <see cref="PendingOutput"/>, stamped <paramref name="now"/>.</summary>
    public void PrepareLines(int count, long now)
    {
        if (Slot < 0) throw new InvalidOperationException($"{Who} does not send.");
        if (_outputStart == _outputEnd) _outputStart = _outputEnd = 0;
        for (int i = 0; i < count && InFlight < _plan.Depth; i++)
        {
            long sequence = _plan.SentBySlot[Slot]++;
            _plan.WriteLine(_output.AsSpan(_outputEnd, _plan.LineBytes), Slot, sequence);
            _outputEnd += _plan.LineBytes;
            _sentAt[sequence % _plan.Depth] = now;
            InFlight++;
            if (Owed > 0) Owed--;
        }
    }

    /// <summary>The socket took <paramref name="count"/> bytes of <see cref="PendingOutput"/>.</summary>
    public void Sent(int count) => _outputStart += count;

    /// <summary>Whether every line of every sender has arrived (call once the senders have stopped).</summary>
    public string? Missing()
    {
        for (int slot = 0; slot < _plan.Senders; slot++)
        {
            long missing = _plan.SentBySlot[slot] - _nextFromSlot[slot];
            if (missing != 0) return $"{Who} is missing {missing} line(s) of {Encoding.ASCII.GetString(_plan.Name(_plan.ClientOfSlot[slot]))}";
        }
        return null;
    }

    public string Who => Encoding.ASCII.GetString(_plan.Name(Index));

    /// <summary>Checks one line (without its newline); true if it was a chat line.</summary>
    private bool OnLine(ReadOnlySpan<byte> line, long now, bool measuring)
    {
        switch (_stage)
        {
            case Stage.Welcome:
                Expect(line, ChatWireText.Welcome.AsSpan(..^1), "the welcome line");
                _stage = Stage.Prompt;
                return false;
            case Stage.OwnJoin:
                Expect(line, _plan.JoinNotice(Index), "its own join notice");
                _stage = Stage.Chatting;
                _nextJoinNotice = Index + 1;
                return false;
            case Stage.ShutdownLine:
                Expect(line, ChatWireText.ShuttingDown.AsSpan(..^1), "the shutdown line and nothing more");
                _stage = Stage.EndOfStream;
                return false;
            case Stage.Chatting when _nextJoinNotice < _plan.Clients:
                Expect(line, _plan.JoinNotice(_nextJoinNotice), "the next join notice");
                _nextJoinNotice++;
                return false;
            case Stage.Chatting:
                OnChatLine(line, now, measuring);
                return true;
            default:
                Fail($"a line after {Expected()}", line);
                return false;
        }
    }

    private void OnChatLine(ReadOnlySpan<byte> line, long now, bool measuring)
    {
        int sender = _plan.SenderOf(line);
        int slot = sender < 0 ? -1 : _plan.SlotOf(sender);
        if (slot < 0) Fail("a malformed chat line, or one from a client that does not send", line);
        var text = line[_plan.PrefixLength..];
        long sequence = ChatRoomPlan.SequenceOf(text);
        long expected = _nextFromSlot[slot];
        if (sequence != expected || sequence >= _plan.SentBySlot[slot])
            Fail(sequence < 0 ? "a line without its number" : $"line {sequence} of that sender where line {expected} was next ({_plan.SentBySlot[slot]} sent)", line);
        if (!_plan.FillerMatches(text, slot, sequence)) Fail("a line whose text differs from what its sender sent", line);
        _nextFromSlot[slot] = expected + 1;
        if (sender != Index) return;
        InFlight--;
        Owed++;
        if (measuring) Latencies!.Record(now - _sentAt[sequence % _plan.Depth]);
    }

    private void Expect(ReadOnlySpan<byte> line, ReadOnlySpan<byte> expected, string what)
    {
        if (!line.SequenceEqual(expected)) Fail($"expected {what} ({Encoding.UTF8.GetString(expected)})", line);
    }

    private string Expected() => _stage switch
    {
        Stage.Welcome => "the welcome line",
        Stage.Prompt => "the name prompt",
        Stage.OwnJoin => "its own join notice",
        Stage.Chatting => "chat lines",
        Stage.ShutdownLine => "the shutdown line",
        Stage.EndOfStream => "the end of the stream",
        _ => "nothing (closed)",
    };

    [DoesNotReturn]
    private void Fail(string what, ReadOnlySpan<byte> got) =>
        throw new ChatVerificationException($"{Who} received {what}; got '{Encoding.UTF8.GetString(got[..Math.Min(got.Length, 200)])}'.");
}
