namespace EventLoop.Benchmarks.Chat;

/// <summary>The chat servers compared.</summary>
internal enum ChatServerKind
{
    /// <summary>No framework: one thread on bare epoll, per-client output buffers flushed once per iteration (<see cref="FloorChatServer"/>).</summary>
    Floor,

    /// <summary>The <c>chat</c> sample as shipped: one straight-line <c>async LoopTask</c> handler per client.</summary>
    Chat,

    /// <summary>The <c>chat-protocol</c> sample as shipped: the same room driven by an <c>IProtocol</c>.</summary>
    ChatProtocol,
}

internal static class ChatServerKinds
{
    public static string Name(this ChatServerKind kind) => kind switch
    {
        ChatServerKind.ChatProtocol => "chat-protocol",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Title(this ChatServerKind kind) => kind switch
    {
        ChatServerKind.Floor => "floor (bare epoll, flush per iteration)",
        ChatServerKind.Chat => "`chat` sample (streams)",
        _ => "`chat-protocol` sample (IProtocol)",
    };

    public static ChatServerKind Parse(string name) =>
        Enum.TryParse<ChatServerKind>(name.Trim().Replace("-", ""), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException($"Unknown chat server '{name}': use floor, chat or chat-protocol.");
}
