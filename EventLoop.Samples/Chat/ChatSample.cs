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
        connection.Limit = ChatLines.ReadLimit;
        var client = room.Arrive(connection); // every byte to this client goes through it
        try
        {
            client.Send(ChatText.Welcome(serverName));
            if (!await AskForNameAsync(connection, client, room)) return; // gone before choosing a name
            while (await ReadLineOrReportAsync(connection, client) is { } line)
            {
                if (line == "/quit") break;
                if (line == "/users") client.Send(ChatText.Users(room.Names));
                else room.Broadcast(ChatText.Message(client.Name!, line));
            }
        }
        finally
        {
            room.Depart(client); // announced exactly once, however they left
        }
    }

    private static async LoopTask<bool> AskForNameAsync(Connection connection, ChatConnection client, ChatRoom room)
    {
        client.Send(ChatText.Prompt);
        while (await ReadLineOrReportAsync(connection, client) is { } name)
        {
            if (room.TryJoin(name, client) is not { } refusal) return true;
            client.Send(refusal + ChatText.Prompt);
        }
        return false;
    }

    /// <summary>
    /// The next line; an overlong one is answered and skipped. A last line without "\n" counts.
    /// Null at the end, on a reset, or once the client is being closed (cut off, or shutdown).
    /// </summary>
    private static async LoopTask<string?> ReadLineOrReportAsync(Connection connection, ChatConnection client)
    {
        while (!client.IsClosing)
        {
            byte[] raw;
            try
            {
                raw = await connection.ReadUntilAsync(ChatLines.Terminator);
            }
            catch (LimitOverrunException)
            {
                client.SendLineTooLong();
                continue;
            }
            catch (IncompleteReadException end) when (end.Partial.Length > 0)
            {
                raw = end.Partial; // the stream ended after a last line without "\n"
            }
            catch (IOException)
            {
                return null; // the end, or a reset: treated like the client leaving
            }
            if (ChatLines.Decode(raw) is { } line) return line;
            client.SendLineTooLong();
        }
        return null;
    }

    /// <summary>Starts the server and serves until cancelled.</summary>
    public static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, string serverName, ServerOptions? options = null)
    {
        var log = logging.CreateLogger("chat");
        var room = new ChatRoom(log);
        var server = await loop.StartServerAsync(c => HandleAsync(c, room, serverName), endpoint, options);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "chat", room.ShutDown);
    }

    /// <summary>The <c>chat</c> sub-command.</summary>
    public static System.CommandLine.Command CreateCommand() =>
        ChatCommand.Create("chat", "Chat server, streams style", (loop, logging, endpoint, name, options) => RunAsync(loop, logging, endpoint, name, options));
}
