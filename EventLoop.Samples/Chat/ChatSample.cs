using System.Net;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>The chat server in the streams style: one straight-line handler per client.</summary>
public static class ChatSample
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 4455;

    /// <summary>Handles one client, from greeting to goodbye.</summary>
    public static async LoopTask HandleAsync(Connection connection, ChatRoom room, string serverName)
    {
        connection.Limit = ChatText.MaxLineBytes;
        var client = new ConnectionClient(connection);
        client.Send(ChatText.Welcome(serverName));

        string? name = await AskForNameAsync(connection, client, room);
        if (name is null) return; // gone before choosing a name
        try
        {
            while (await ReadLineOrReportAsync(connection, client) is { } line)
            {
                if (line == "/quit") break;
                if (line == "/users") client.Send(ChatText.Users(room.Names));
                else room.Broadcast(ChatText.Message(name, line));
            }
        }
        finally
        {
            room.Leave(name, client);
        }
    }

    private static async LoopTask<string?> AskForNameAsync(Connection connection, IChatClient client, ChatRoom room)
    {
        while (true)
        {
            client.Send(ChatText.Prompt);
            string? name = await ReadLineOrReportAsync(connection, client);
            if (name is null) return null;
            if (room.TryJoin(name, client) is not { } refusal) return name;
            client.Send(refusal);
        }
    }

    /// <summary>The next line; an overlong one is answered and skipped; null at the end or on a reset.</summary>
    private static async LoopTask<string?> ReadLineOrReportAsync(Connection connection, IChatClient client)
    {
        while (true)
        {
            try
            {
                return await connection.ReadLineAsync();
            }
            catch (LimitOverrunException)
            {
                client.Send(ChatText.LineTooLong);
            }
            catch (IOException)
            {
                return null; // reset: treated like the client leaving
            }
        }
    }

    /// <summary>Starts the server and serves until cancelled.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, string serverName)
    {
        var log = logging.CreateLogger("chat");
        var room = new ChatRoom(log);
        var server = await loop.StartServerAsync(c => HandleAsync(c, room, serverName), endpoint);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "chat", room.ShutDown);
    }

    /// <summary>The <c>chat</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand() =>
        ChatCommand.Create("chat", "Chat server, streams style", (loop, logging, endpoint, name) => RunAsync(loop, logging, endpoint, name));

    /// <summary>A stream connection seen by the room.</summary>
    private sealed class ConnectionClient(Connection connection) : IChatClient
    {
        public void Send(string text)
        {
            if (connection.IsClosing) return;
            connection.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        public int PendingOutputBytes => connection.IsClosing ? 0 : connection.WriteBufferSize;

        public void Close() => connection.Close();

        public void Abort() => connection.Abort();

        public string Peer => connection.RemoteEndPoint?.ToString() ?? "?";
    }
}
