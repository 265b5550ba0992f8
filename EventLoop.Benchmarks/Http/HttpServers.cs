using System.Net;
using EventLoop.Benchmarks.Echo;
using EventLoop.Net;
using EventLoop.Samples.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Benchmarks.Http;

/// <summary>The http sample's server on a loop thread of its own, as the sample runs it (default limits).</summary>
internal sealed class LoopHttpServer : IEchoServer
{
    private readonly Thread _thread;
    private Loop? _loop;

    public LoopHttpServer(int port)
    {
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() => Serve(port, started)) { Name = "http loop", IsBackground = true };
        _thread.Start();
        Port = started.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    public int Port { get; }

    private void Serve(int port, TaskCompletionSource<int> started)
    {
        try
        {
            using var loop = new Loop();
            var http = new HttpServer(loop, new HttpLimits(), NullLogger.Instance);
            var server = loop.RunUntilComplete(() => loop.StartServerAsync(http.HandleAsync, new IPEndPoint(IPAddress.Loopback, port))); // backlog: the system maximum (ServerOptions default)
            http.Listener = server;
            http.Start();
            Volatile.Write(ref _loop, loop);
            started.SetResult(((IPEndPoint)server.LocalEndPoint).Port);
            loop.RunForever();
            http.Stop();
            server.Close();
        }
        catch (Exception e)
        {
            if (!started.TrySetException(e)) Console.Error.WriteLine($"http loop failed: {e}");
        }
    }

    public void Dispose()
    {
        Volatile.Read(ref _loop)?.Stop();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}

/// <summary>The smallest Kestrel app: one minimal-API route, no logging.</summary>
internal sealed class KestrelHttpServer : IEchoServer
{
    private readonly WebApplication _app;

    public KestrelHttpServer(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _app = builder.Build();
        _app.MapGet("/", () => "Hello, World!");
        _app.StartAsync().GetAwaiter().GetResult();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    public int Port { get; }

    public void Dispose() => _app.StopAsync().GetAwaiter().GetResult();
}
