namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// How many connections this server process has open: the <c>--idle</c> measurement waits for
/// the idle connections to be accepted (and their handlers to be waiting) before it reads the
/// heap, and the report derives the size of the select set from it. Interlocked because the
/// .NET server accepts on thread-pool threads; it changes per connection, never per message.
/// </summary>
internal static class EchoConnections
{
    private static int _open;

    public static int Open => Volatile.Read(ref _open);

    public static void Opened() => Interlocked.Increment(ref _open);

    public static void Closed() => Interlocked.Decrement(ref _open);
}
