using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>
/// The room: who is in it, and fan-out. Loop-thread only, so there is no locking at all —
/// the point of an event loop. Both the streams and the protocol front end drive it.
/// </summary>
public sealed class ChatRoom(ILogger log)
{
    private readonly Dictionary<string, IChatClient> _members = new(StringComparer.Ordinal);

    /// <summary>Names of the members, for <c>/users</c>.</summary>
    public IReadOnlyCollection<string> Names => _members.Keys;

    /// <summary>Joins <paramref name="name"/> if it is valid and free; returns the line to send back when it is not.</summary>
    public string? TryJoin(string name, IChatClient client)
    {
        if (!ChatText.IsValidName(name)) return ChatText.NameInvalid;
        if (!_members.TryAdd(name, client)) return ChatText.NameTaken;
        log.LogInformation("{Name} joined from {Peer}", name, client.Peer);
        Broadcast(ChatText.Joined(name));
        return null;
    }

    /// <summary>Removes <paramref name="name"/> (if it is still this client's) and tells everyone left, once.</summary>
    public void Leave(string name, IChatClient client)
    {
        if (!_members.TryGetValue(name, out var current) || !ReferenceEquals(current, client)) return;
        _members.Remove(name);
        log.LogInformation("{Name} left", name);
        Broadcast(ChatText.Left(name));
    }

    /// <summary>Sends <paramref name="text"/> to every member; cuts off any whose unsent output passes the limit.</summary>
    public void Broadcast(string text)
    {
        List<(string Name, IChatClient Client)>? slow = null;
        foreach (var (name, client) in _members)
        {
            client.Send(text);
            if (client.PendingOutputBytes > ChatText.MaxPendingOutputBytes) (slow ??= new()).Add((name, client));
        }
        if (slow is null) return;
        foreach (var (name, client) in slow)
        {
            log.LogWarning("Disconnecting {Name} ({Peer}): slow consumer, {Bytes} bytes unsent", name, client.Peer, client.PendingOutputBytes);
            client.Abort(); // its reader sees the loss and calls Leave
        }
    }

    /// <summary>Tells everyone the server is going away and closes them.</summary>
    public void ShutDown()
    {
        foreach (var client in _members.Values.ToArray())
        {
            client.Send(ChatText.ShuttingDown);
            client.Close();
        }
    }
}
