using System.Net.Sockets;
using EventLoop.Samples.Chat;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// One connection of the <see cref="FloorChatServer"/>: its name once joined, the start of a line
/// split across receives, and its output buffer — appended to by every broadcast of an iteration,
/// sent once at the iteration's end.
/// </summary>
internal sealed class FloorChatClient(Socket socket, int token)
{
    private byte[] _partial = []; // a line split across receives; grown on demand, at most MaxLineBytes
    private byte[] _output = new byte[4096];
    private int _outputStart, _outputEnd;

    public Socket Socket { get; } = socket;

    /// <summary>The epoll token: its slot in the server's table, plus one.</summary>
    public int Token { get; } = token;

    /// <summary>Set once joined.</summary>
    public string? Name { get; private set; }

    /// <summary>"name: ", ready to go in front of each of its lines.</summary>
    public byte[] MessagePrefix { get; private set; } = [];

    public int PartialLength { get; private set; }

    /// <summary>Discarding the rest of an overlong line, up to its newline.</summary>
    public bool SkippingLongLine { get; set; }

    /// <summary>In the server's to-flush list for this iteration.</summary>
    public bool Dirty { get; set; }

    /// <summary>Registered for writability: the kernel did not take all its output.</summary>
    public bool WaitingToWrite { get; set; }

    public bool Closed { get; set; }

    public int PendingOutput => _outputEnd - _outputStart;

    public ReadOnlySpan<byte> Partial => _partial.AsSpan(0, PartialLength);

    public void Join(string name)
    {
        Name = name;
        MessagePrefix = ChatWireText.MessagePrefix(name);
    }

    /// <summary>Keeps the start of a line; false (and nothing kept) once it passes the line limit.</summary>
    public bool KeepPartial(ReadOnlySpan<byte> piece)
    {
        int length = PartialLength + piece.Length;
        if (length > ChatText.MaxLineBytes)
        {
            PartialLength = 0;
            return false;
        }
        if (length > _partial.Length) Array.Resize(ref _partial, Math.Min(ChatText.MaxLineBytes, Math.Max(length, 2 * _partial.Length)));
        piece.CopyTo(_partial.AsSpan(PartialLength));
        PartialLength = length;
        return true;
    }

    public void ClearPartial() => PartialLength = 0;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_output.AsSpan(_outputEnd));
        _outputEnd += bytes.Length;
    }

    /// <summary>One broadcast line: prefix, text, newline.</summary>
    public void AppendLine(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> text)
    {
        Reserve(prefix.Length + text.Length + 1);
        var into = _output.AsSpan(_outputEnd);
        prefix.CopyTo(into);
        text.CopyTo(into[prefix.Length..]);
        into[prefix.Length + text.Length] = (byte)'\n';
        _outputEnd += prefix.Length + text.Length + 1;
    }

    /// <summary>Sends what it can; false if the connection failed.</summary>
    public bool Flush()
    {
        if (PendingOutput == 0) return true;
        int sent = Socket.Send(_output.AsSpan(_outputStart, PendingOutput), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return true;
        if (error != SocketError.Success) return false;
        _outputStart += sent;
        if (_outputStart == _outputEnd) _outputStart = _outputEnd = 0;
        return true;
    }

    private void Reserve(int count)
    {
        if (_outputEnd + count <= _output.Length) return;
        // Slide what is pending to the front, then grow if that is not enough (a slow consumer
        // is cut off past ChatText.MaxPendingOutputBytes, which bounds the growth).
        _output.AsSpan(_outputStart, PendingOutput).CopyTo(_output);
        _outputEnd -= _outputStart;
        _outputStart = 0;
        if (_outputEnd + count > _output.Length) Array.Resize(ref _output, Math.Max(_outputEnd + count, 2 * _output.Length));
    }
}
