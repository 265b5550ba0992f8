using System.CommandLine;
using System.Net;
using System.Net.Sockets;

namespace EventLoop.Samples;

/// <summary>
/// What <c>--host</c> names: an IP address, or a host name resolved once, at start, before the
/// loop runs (the samples' only name resolution). A name that does not resolve is a command-line
/// error like any other: one line, exit code 2.
/// </summary>
/// <param name="Host">As the user typed it, for messages.</param>
/// <param name="Addresses">Its addresses in the resolver's order, only of the families this machine supports; never empty.</param>
public sealed record HostAddresses(string Host, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The <c>--host</c> option: <paramref name="defaultHost"/> unless given.</summary>
    public static Option<HostAddresses> CreateOption(string description, string defaultHost = "127.0.0.1") => new("--host")
    {
        Description = description,
        HelpName = "host",
        DefaultValueFactory = _ => Resolve(defaultHost) ?? throw new InvalidOperationException($"The default host {defaultHost} does not resolve."),
        CustomParser = result =>
        {
            string host = result.Tokens[0].Value;
            try
            {
                return Resolve(host) ?? Fail(result, $"--host: '{host}' has no address this machine can use.");
            }
            catch (SocketException e)
            {
                return Fail(result, $"--host: cannot resolve '{host}': {e.Message}.");
            }
        },
    };

    /// <summary>As typed: what help shows as the default.</summary>
    public override string ToString() => Host;

    private static HostAddresses? Fail(System.CommandLine.Parsing.ArgumentResult result, string error)
    {
        result.AddError(error);
        return null;
    }

    /// <summary>Parses an address, or resolves a name (blocking: at start only); null if no usable address.</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    private static HostAddresses? Resolve(string host)
    {
        var addresses = IPAddress.TryParse(host, out var address) ? [address] : Dns.GetHostAddresses(host);
        var usable = addresses.Where(a => a.AddressFamily switch
        {
            AddressFamily.InterNetwork => Socket.OSSupportsIPv4,
            AddressFamily.InterNetworkV6 => Socket.OSSupportsIPv6,
            _ => false,
        }).ToArray();
        return usable.Length == 0 ? null : new HostAddresses(host, usable);
    }
}
