using System.CommandLine;
using System.Net;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Http;

/// <summary>
/// An HTTP/1.1 server written from scratch in the streams style: GET / (text), GET /json,
/// POST /echo, GET /stats. Keep-alive, pipelining, HEAD, chunked request bodies, limits and
/// timeouts; see <see cref="HttpConnection"/> for one connection's life.
/// </summary>
public static class HttpSample
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 8080;

    /// <summary>Starts the server and serves until cancelled.</summary>
    internal static async LoopTask RunAsync(Loop loop, ILoggerFactory logging, EndPoint endpoint, HttpLimits limits)
    {
        var log = logging.CreateLogger("http");
        var http = new HttpServer(loop, limits, log);
        var server = await loop.StartServerAsync(http.HandleAsync, endpoint);
        http.Listener = server;
        http.Start();
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "http", http.Stop);
    }

    /// <summary>The <c>http</c> sub-command.</summary>
    public static Command CreateCommand()
    {
        var defaults = new HttpLimits();
        var command = new ServerCommand("http", $"HTTP/1.1 server: GET /, GET /json, POST /echo, GET /stats (default port {DefaultPort})", DefaultPort);
        var idle = new Option<double>("--idle-timeout")
        {
            Description = "Close a keep-alive connection idle this long (seconds)", DefaultValueFactory = _ => defaults.IdleTimeout.TotalSeconds,
        }.MustBeAnInterval();
        var header = new Option<double>("--header-timeout")
        {
            Description = "Answer 408 if a request's headers take longer than this (seconds)", DefaultValueFactory = _ => defaults.HeaderTimeout.TotalSeconds,
        }.MustBeAnInterval();
        var maxBody = new Option<int>("--max-body")
        {
            Description = "Largest request body in bytes (413 above)", DefaultValueFactory = _ => defaults.MaxBodyBytes,
        }.MustBeBetween(0, 256 * 1024 * 1024);
        command.Command.Add(idle);
        command.Command.Add(header);
        command.Command.Add(maxBody);
        command.Command.SetAction(parsed =>
        {
            var limits = defaults with
            {
                IdleTimeout = TimeSpan.FromSeconds(parsed.GetValue(idle)),
                HeaderTimeout = TimeSpan.FromSeconds(parsed.GetValue(header)),
                MaxBodyBytes = parsed.GetValue(maxBody),
            };
            return SampleRunner.Run((loop, logging) => RunAsync(loop, logging, command.EndPoint(parsed), limits));
        });
        return command.Command;
    }
}
