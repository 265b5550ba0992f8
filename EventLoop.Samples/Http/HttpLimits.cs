namespace EventLoop.Samples.Http;

/// <summary>What one client may make the <c>http</c> server hold or wait for.</summary>
internal sealed record HttpLimits
{
    /// <summary>Request line and headers together, blank line included (8 KiB, as nginx's default buffer): more is 431 (414 for the request line alone).</summary>
    public int MaxHeadBytes { get; init; } = 8 * 1024;

    /// <summary>A request body, by Content-Length or chunked: more is 413. The body is held whole, so this bounds a connection's memory.</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>From the first byte of a request to the end of its headers (slowloris): then 408 and the connection is closed.</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a keep-alive connection may sit between requests, and how long a body read or a
    /// write to a client that does not read may make no progress, before it is closed.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
