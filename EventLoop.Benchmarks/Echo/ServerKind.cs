namespace EventLoop.Benchmarks.Echo;

/// <summary>The echo servers compared.</summary>
internal enum ServerKind
{
    /// <summary>No framework: one thread, Socket.Select, non-blocking Receive/Send (<see cref="FloorEchoServer"/>).</summary>
    Floor,

    /// <summary>Loop + streams: <c>await c.ReadAsync</c>, <c>c.Write</c>, <c>await c.DrainAsync()</c>.</summary>
    Streams,

    /// <summary>Loop + an <see cref="EventLoop.Net.IProtocol"/> that writes back what it receives.</summary>
    Protocol,

    /// <summary>The .NET default: Socket.*Async on the thread pool, one async Task per connection.</summary>
    Dotnet,
}

internal static class ServerKinds
{
    public static string Name(this ServerKind kind) => kind.ToString().ToLowerInvariant();

    public static string Title(this ServerKind kind) => kind switch
    {
        ServerKind.Floor => "floor (bare Socket.Select loop)",
        ServerKind.Streams => "loop streams (Connection)",
        ServerKind.Protocol => "loop protocol (IProtocol)",
        _ => ".NET async sockets (baseline)",
    };

    public static ServerKind Parse(string name) =>
        Enum.TryParse<ServerKind>(name.Trim(), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException($"Unknown server '{name}': use floor, streams, protocol or dotnet.");
}
