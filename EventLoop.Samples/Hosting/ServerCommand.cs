using System.CommandLine;
using System.Net;
using EventLoop.Net;

namespace EventLoop.Samples;

/// <summary>The <c>--host</c>/<c>--port</c>/<c>--max-connections</c> options every server sample shares.</summary>
public sealed class ServerCommand
{
    private readonly Option<HostAddresses> _host = HostAddresses.CreateOption("Address or host name to listen on (a name: its first address)");
    private readonly Option<int> _port;
    private readonly Option<int> _maxConnections = new Option<int>("--max-connections")
    {
        Description = "Most clients served at once; more are disconnected at once (default: the descriptor limit less an eighth of it, at least 128, kept for the runtime)",
        DefaultValueFactory = _ => DefaultMaxConnections,
    }.MustBeBetween(1, int.MaxValue);

    /// <summary>Creates the sub-command with its shared options.</summary>
    public ServerCommand(string name, string description, int defaultPort)
    {
        _port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => defaultPort }.MustBeBetween(0, 65535);
        Command = new Command(name, description) { _host, _port, _maxConnections };
    }

    /// <summary>
    /// Below the process's descriptor limit (raised to the hard limit at start), so the runtime
    /// keeps descriptors for itself — it holds each assembly it loads open — however many clients
    /// come: out of descriptors, .NET itself can fail.
    /// </summary>
    public static int DefaultMaxConnections => OpenFileLimit.Current is { } limit
        ? (int)Math.Clamp(limit - Math.Max(128, limit / 8), 1, int.MaxValue)
        : 10_000;

    /// <summary>The System.CommandLine command; add sample-specific options to it.</summary>
    public Command Command { get; }

    /// <summary>The endpoint the parsed options name.</summary>
    public IPEndPoint EndPoint(ParseResult parsed) => new(parsed.GetValue(_host)!.Addresses[0], parsed.GetValue(_port));

    /// <summary>How the server listens: the system's backlog, no port sharing, the connection limit.</summary>
    public ServerOptions ServerOptions(ParseResult parsed) => new() { MaxConnections = parsed.GetValue(_maxConnections) };
}
