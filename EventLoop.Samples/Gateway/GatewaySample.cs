using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Gateway;

/// <summary>The <c>gateway</c> sample: a TCP gateway in front of one or more backends (<c>--to HOST:PORT[,HOST:PORT...]</c>).</summary>
public static class GatewaySample
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 8000;

    /// <summary>Starts the gateway and serves until cancelled.</summary>
    internal static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, IReadOnlyList<EndPoint> backends)
    {
        var log = logging.CreateLogger("gateway");
        var gateway = new Gateway(loop, backends, log);
        var server = await loop.StartServerAsync(gateway.HandleAsync, endpoint);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "gateway");
    }

    /// <summary>The <c>gateway</c> sub-command.</summary>
    public static Command CreateCommand()
    {
        var command = new ServerCommand("gateway", $"TCP gateway: pipes each client to a backend, round-robin (default port {DefaultPort})", DefaultPort);
        var to = new Option<string>("--to") { Description = "Backends, HOST:PORT[,HOST:PORT...]", Required = true };
        to.Validators.Add(result =>
        {
            if (ParseBackends(result.GetValueOrDefault<string>() ?? "") is { Error: { } error }) result.AddError(error);
        });
        command.Command.Add(to);
        command.Command.SetAction(parsed =>
        {
            var (backends, error) = Resolve(ParseBackends(parsed.GetValue(to)!).Backends!);
            if (error is not null)
            {
                Console.Error.WriteLine(error);
                return 2;
            }
            return SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed), backends!));
        });
        return command.Command;
    }

    /// <summary>Splits "HOST:PORT,HOST:PORT" (IPv6 as [addr]:port); says what is wrong otherwise.</summary>
    internal static (List<(string Host, int Port)>? Backends, string? Error) ParseBackends(string text)
    {
        var backends = new List<(string, int)>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int colon = item.LastIndexOf(':');
            string host = colon > 0 ? item[..colon].Trim('[', ']') : "";
            if (host.Length == 0 || !int.TryParse(item.AsSpan(colon + 1), out int port) || port is < 1 or > 65535)
                return (null, $"--to wants HOST:PORT[,HOST:PORT...] with ports 1-65535, not '{item}'.");
            backends.Add((host, port));
        }
        return (backends, null);
    }

    /// <summary>IP addresses as they are; names are looked up once, here, before the loop starts.</summary>
    private static (IReadOnlyList<EndPoint>? Backends, string? Error) Resolve(List<(string Host, int Port)> backends)
    {
        var endpoints = new List<EndPoint>();
        foreach (var (host, port) in backends)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                endpoints.Add(new IPEndPoint(address, port));
                continue;
            }
            try
            {
                var addresses = Dns.GetHostAddresses(host);
                var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                if (chosen is null) return (null, $"--to: {host} has no address.");
                endpoints.Add(new IPEndPoint(chosen, port));
            }
            catch (SocketException e)
            {
                return (null, $"--to: cannot resolve {host}: {e.Message}");
            }
        }
        return (endpoints, null);
    }
}
