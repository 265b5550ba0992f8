namespace EventLoop.Tests;

/// <summary>
/// Which readiness backend a fixture's loop uses. Fixtures that touch real sockets run once per
/// kind, so the portable <see cref="SocketSelectSelector"/> stays proven on Linux, where the
/// default is epoll.
/// </summary>
public enum SelectorKind
{
    /// <summary><see cref="DefaultSelector.Create"/>: epoll on Linux.</summary>
    Default,
    /// <summary><see cref="SocketSelectSelector"/> over Socket.Select.</summary>
    SocketSelect,
}

public static class SelectorKinds
{
    /// <summary>A new selector of <paramref name="kind"/>.</summary>
    public static ISelector Create(SelectorKind kind) =>
        kind == SelectorKind.SocketSelect ? new SocketSelectSelector() : DefaultSelector.Create();
}
