using System.CommandLine;
using System.Net;

namespace EventLoop.Samples;

/// <summary>The <c>--host</c>/<c>--port</c> options every server sample shares.</summary>
public sealed class ServerCommand
{
    private readonly Option<HostAddresses> _host = HostAddresses.CreateOption("Address or host name to listen on (a name: its first address)");
    private readonly Option<int> _port;

    /// <summary>Creates the sub-command with its shared options.</summary>
    public ServerCommand(string name, string description, int defaultPort)
    {
        _port = new Option<int>("--port") { Description = "Port to listen on (0 picks a free one)", DefaultValueFactory = _ => defaultPort }.MustBeBetween(0, 65535);
        Command = new Command(name, description) { _host, _port };
    }

    /// <summary>The System.CommandLine command; add sample-specific options to it.</summary>
    public Command Command { get; }

    /// <summary>The endpoint the parsed options name.</summary>
    public IPEndPoint EndPoint(ParseResult parsed) => new(parsed.GetValue(_host)!.Addresses[0], parsed.GetValue(_port));
}
