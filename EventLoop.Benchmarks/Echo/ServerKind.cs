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

    /// <summary>Loop + raw socket awaits: <c>await loop.ReceiveAsync(socket, buffer)</c>, <c>await loop.SendAllAsync(...)</c>.</summary>
    Sockets,

    /// <summary>The .NET default: Socket.*Async on the thread pool, one async Task per connection.</summary>
    Dotnet,

    /// <summary>As <see cref="Streams"/>, on the portable <see cref="SocketSelectSelector"/> instead of epoll.</summary>
    StreamsSelect,

    /// <summary>As <see cref="Protocol"/>, on the portable <see cref="SocketSelectSelector"/> instead of epoll.</summary>
    ProtocolSelect,

    /// <summary>The <c>gateway</c> sample in front of a streams echo server in another process (off the measured CPU): what proxying costs.</summary>
    Gateway,
}

internal static class ServerKinds
{
    public static string Name(this ServerKind kind) => kind switch
    {
        ServerKind.StreamsSelect => "streams-select",
        ServerKind.ProtocolSelect => "protocol-select",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>A loop server (as opposed to the floor and the .NET baseline).</summary>
    public static bool IsLoop(this ServerKind kind) => kind is not (ServerKind.Floor or ServerKind.Dotnet);

    /// <summary>A loop server on the Socket.Select selector rather than the default (epoll on Linux).</summary>
    public static bool UsesSocketSelect(this ServerKind kind) => kind is ServerKind.StreamsSelect or ServerKind.ProtocolSelect;

    /// <summary>A loop server whose handler is the streams one.</summary>
    public static bool IsStreams(this ServerKind kind) => kind is ServerKind.Streams or ServerKind.StreamsSelect;

    public static string Title(this ServerKind kind) => kind switch
    {
        ServerKind.Floor => "floor (bare Socket.Select loop)",
        ServerKind.Streams => "loop streams (Connection)",
        ServerKind.Protocol => "loop protocol (IProtocol)",
        ServerKind.Sockets => "loop socket awaits",
        ServerKind.StreamsSelect => "loop streams, Socket.Select selector",
        ServerKind.ProtocolSelect => "loop protocol, Socket.Select selector",
        ServerKind.Gateway => "loop `gateway` sample → streams echo (gateway's CPU only)",
        _ => ".NET async sockets (baseline)",
    };

    public static ServerKind Parse(string name) =>
        Enum.TryParse<ServerKind>(name.Trim().Replace("-", ""), ignoreCase: true, out var kind) && Enum.IsDefined(kind)
            ? kind
            : throw new ArgumentException($"Unknown server '{name}': use floor, streams, protocol, sockets, dotnet, streams-select, protocol-select or gateway.");
}
