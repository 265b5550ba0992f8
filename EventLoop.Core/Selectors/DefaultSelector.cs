namespace EventLoop;

/// <summary>Picks the best selector for this system, as Python's <c>selectors.DefaultSelector</c> does.</summary>
public static class DefaultSelector
{
    /// <summary>An <see cref="EpollSelector"/> on Linux, a <see cref="SocketSelectSelector"/> elsewhere.</summary>
    public static ISelector Create() =>
        EpollSelector.IsSupported ? new EpollSelector() : new SocketSelectSelector();
}
