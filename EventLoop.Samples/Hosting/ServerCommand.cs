using System.CommandLine;
using System.Net;

namespace EventLoop.Samples;

/// <summary>The <c>--host</c>/<c>--port</c> options every server sample shares.</summary>
public sealed class ServerCommand
{
    private readonly Option<string> _host = new("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<int> _port;

    /// <summary>Creates the sub-command with its shared options.</summary>
    public ServerCommand(string name, string description, int defaultPort)
    {
        _port = OptionChecks.Range("--port", "Port to listen on (0 picks a free one)", defaultPort, 0, 65535);
        _host.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _)) result.AddError($"--host must be an IP address, not '{result.GetValueOrDefault<string>()}'.");
        });
        Command = new Command(name, description) { _host, _port };
    }

    /// <summary>The System.CommandLine command; add sample-specific options to it.</summary>
    public Command Command { get; }

    /// <summary>The endpoint the parsed options name.</summary>
    public IPEndPoint EndPoint(ParseResult parsed)
    {
        return new IPEndPoint(IPAddress.Parse(parsed.GetValue(_host)!), parsed.GetValue(_port)); // both checked while parsing
    }
}
