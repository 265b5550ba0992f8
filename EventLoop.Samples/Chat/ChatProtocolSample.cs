using System.Net;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>The same chat server as callbacks (<see cref="IProtocol"/>): byte for byte the same behaviour as <see cref="ChatSample"/>.</summary>
public static class ChatProtocolSample
{
    /// <summary>One client as a state machine: asking for a name, then chatting.</summary>
    public sealed class ChatProtocol(ChatRoom room, string serverName) : IProtocol
    {
        private readonly LineSplitter _lines = new();
        private ChatConnection? _client; // every byte to this client goes through it

        /// <inheritdoc />
        public void ConnectionMade(ITransport transport)
        {
            _client = room.Arrive(transport);
            _client.Send(ChatText.Welcome(serverName));
            _client.Send(ChatText.Prompt);
        }

        /// <inheritdoc />
        public void DataReceived(ReadOnlySpan<byte> data) => _lines.Feed(data, OnLine, OnLineTooLong);

        /// <inheritdoc />
        public bool EofReceived()
        {
            _lines.Finish(OnLine, OnLineTooLong); // a last line without "\n" counts
            return false; // then close, after what is queued has been sent
        }

        private void OnLine(string line)
        {
            var client = _client!;
            if (client.IsClosing) return; // cut off, or shutting down: its lines need no answer
            if (client.Name is null)
            {
                if (room.TryJoin(line, client) is { } refusal) client.Send(refusal + ChatText.Prompt);
                return;
            }
            if (line == "/quit") client.Close();
            else if (line == "/users") client.Send(ChatText.Users(room.Names));
            else room.Broadcast(ChatText.Message(client.Name, line));
        }

        private void OnLineTooLong()
        {
            if (!_client!.IsClosing) _client.SendLineTooLong();
        }

        /// <inheritdoc />
        public void ConnectionLost(Exception? error)
        {
            if (_client is { } client) room.Depart(client);
        }
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
