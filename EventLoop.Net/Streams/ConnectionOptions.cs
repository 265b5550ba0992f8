namespace EventLoop.Net;

/// <summary>Settings of a stream <see cref="Connection"/>.</summary>
public sealed class ConnectionOptions
{
    /// <summary>The default read limit: 64 KiB, as asyncio.</summary>
    public const int DefaultLimit = 64 * 1024;

    /// <summary>
    /// The longest line or delimited chunk a read accepts, and the read-ahead bound: the
    /// transport stops reading while more than twice this much is buffered unread.
    /// </summary>
    public int Limit { get; set; } = DefaultLimit;
}
