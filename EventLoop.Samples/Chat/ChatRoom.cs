using System.Text;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>
/// The room: every connected client, who of them has joined under which name, and fan-out.
/// Loop-thread only, so there is no locking at all — the point of an event loop. Both the
/// streams and the protocol front end drive it.
/// </summary>
public sealed class ChatRoom(ILogger log)
{
    private readonly HashSet<ChatConnection> _connected = new();
    private readonly Dictionary<string, ChatConnection> _members = new(StringComparer.Ordinal);

    /// <summary>Names of the members, for <c>/users</c>.</summary>
    public IReadOnlyCollection<string> Names => _members.Keys;

    /// <summary>A client has connected: from now on it hears the goodbye at shutdown, named or not.</summary>
    public ChatConnection Arrive(ITransport transport)
    {
        var client = new ChatConnection(transport, log);
        _connected.Add(client);
        return client;
    }

    /// <summary>Joins <paramref name="client"/> as <paramref name="name"/> if the name is valid and free; returns the line to send back when it is not.</summary>
    public string? TryJoin(string name, ChatConnection client)
    {
        if (!ChatNames.IsValid(name)) return ChatText.NameInvalid;
        if (!_members.TryAdd(name, client)) return ChatText.NameTaken;
        client.Name = name;
        ChatLog.Joined(log, name, client.Peer);
        Broadcast(ChatText.Joined(name));
        return null;
    }

    /// <summary>The client has gone (however it went): a member is announced as leaving, once.</summary>
    public void Depart(ChatConnection client)
    {
        if (!_connected.Remove(client)) return;
        if (client.Name is not { } name || !_members.Remove(name)) return;
        ChatLog.Left(log, name);
        Broadcast(ChatText.Left(name));
    }

    /// <summary>Sends <paramref name="text"/> to every member (each one's output limit applies).</summary>
    public void Broadcast(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var member in _members.Values) member.Send(bytes); // a cut-off leaves later, not during this loop
    }

    /// <summary>Tells every connected client, named or still at the prompt, that the server is going away, and closes them.</summary>
    public void ShutDown()
    {
        foreach (var client in _connected.ToArray())
        {
            client.Send(ChatText.ShuttingDown);
            client.Close();
        }
    }
}
