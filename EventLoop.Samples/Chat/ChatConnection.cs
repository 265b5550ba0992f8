using System.Net;
using System.Text;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>
/// One connected client as the chat sees it, whichever style serves it: its name once it has
/// one, and its only way out. Every byte the server sends the client — greeting, prompts,
/// refusals, <c>/users</c>, room lines, goodbye — goes through <see cref="Send(ReadOnlySpan{byte})"/>,
/// so every one counts against <see cref="ChatText.MaxPendingOutputBytes"/>: a client that does
/// not read is cut off, before it has a name as after, and its unsent output is dropped with it.
/// </summary>
public sealed class ChatConnection
{
    private readonly ITransport _transport;
    private readonly ILogger _log;

    internal ChatConnection(ITransport transport, ILogger log)
    {
        _transport = transport;
        _log = log;
    }

    /// <summary>The client's name, once the room has accepted one.</summary>
    public string? Name { get; internal set; }

    /// <summary>The peer's address, for logs.</summary>
    public EndPoint? Peer => _transport.RemoteEndPoint;

    /// <summary>True once the connection is closing or gone: nothing more is sent, and its lines need no answer.</summary>
    public bool IsClosing => _transport.IsClosing;

    /// <summary>Queues <paramref name="text"/> (UTF-8) for the client; see <see cref="Send(ReadOnlySpan{byte})"/>.</summary>
    public void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Queues bytes for the client (never blocks); if more than <see cref="ChatText.MaxPendingOutputBytes"/>
    /// are then waiting for it, cuts it off at once. Nothing is sent once the connection is closing.
    /// </summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        if (_transport.IsClosing) return;
        _transport.Write(bytes);
        if (_transport.WriteBufferSize <= ChatText.MaxPendingOutputBytes) return;
        ChatLog.SlowConsumer(_log, Name ?? "(no name yet)", Peer, _transport.WriteBufferSize);
        // Drops the unsent output now. The loss reaches the client's reader (or ConnectionLost)
        // in a later callback, never inline, so a broadcast looping over the room is not disturbed.
        _transport.Abort();
    }

    /// <summary>Answers a line over <see cref="ChatText.MaxLineBytes"/>; at the name prompt, asks again.</summary>
    public void SendLineTooLong() => Send(Name is null ? ChatText.LineTooLong + ChatText.Prompt : ChatText.LineTooLong);

    /// <summary>Closes gracefully: what is queued is sent first.</summary>
    public void Close() => _transport.Close();
}
