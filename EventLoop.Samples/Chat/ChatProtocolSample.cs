using System.Net;
using System.Text;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>The same chat server as callbacks (<see cref="IProtocol"/>): byte for byte the same behaviour as <see cref="ChatSample"/>.</summary>
public static class ChatProtocolSample
{
    /// <summary>One client as a state machine: asking for a name, then chatting.</summary>
    public sealed class ChatProtocol(ChatRoom room, string serverName) : IProtocol, IChatClient
    {
        private readonly LineSplitter _lines = new(ChatText.MaxLineBytes);
        private ITransport? _transport;
        private string? _name;

        /// <inheritdoc />
        public void ConnectionMade(ITransport transport)
        {
            _transport = transport;
            Send(ChatText.Welcome(serverName));
            Send(ChatText.Prompt);
        }

        /// <inheritdoc />
        public void DataReceived(ReadOnlySpan<byte> data) => _lines.Feed(data, OnLine, () => Send(ChatText.LineTooLong));

        private void OnLine(string line)
        {
            if (_transport!.IsClosing) return;
            if (_name is null)
            {
                if (room.TryJoin(line, this) is { } refusal)
                {
                    Send(refusal);
                    Send(ChatText.Prompt);
                }
                else
                {
                    _name = line;
                }
                return;
            }
            if (line == "/quit") _transport.Close();
            else if (line == "/users") Send(ChatText.Users(room.Names));
            else room.Broadcast(ChatText.Message(_name, line));
        }

        /// <inheritdoc />
        public void ConnectionLost(Exception? error)
        {
            if (_name is not null) room.Leave(_name, this);
        }

        /// <inheritdoc />
        public void Send(string text)
        {
            if (_transport is { IsClosing: false } transport) transport.Write(Encoding.UTF8.GetBytes(text));
        }

        /// <inheritdoc />
        public int PendingOutputBytes => _transport?.WriteBufferSize ?? 0;

        /// <inheritdoc />
        public void Close() => _transport?.Close();

        /// <inheritdoc />
        public void Abort() => _transport?.Abort();

        /// <inheritdoc />
        public string Peer => _transport?.RemoteEndPoint?.ToString() ?? "?";
    }

    /// <summary>Starts the server and serves until cancelled.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, string serverName, ServerOptions? options = null)
    {
        var log = logging.CreateLogger("chat-protocol");
        var room = new ChatRoom(log);
        var server = await loop.CreateServerAsync(() => new ChatProtocol(room, serverName), endpoint, options);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "chat-protocol", room.ShutDown);
    }

    /// <summary>The <c>chat-protocol</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand() =>
        ChatCommand.Create("chat-protocol", "Chat server as callbacks (IProtocol)", (loop, logging, endpoint, name, options) => RunAsync(loop, logging, endpoint, name, options));
}
