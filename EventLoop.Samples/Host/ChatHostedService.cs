using System.Net;
using EventLoop.Hosting;
using EventLoop.Net;
using EventLoop.Samples.Chat;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Host;

/// <summary>
/// The chat server as a hosted service: its own loop on its own thread (EventLoop.Hosting). The
/// host's start waits until it listens; the host's other code reaches the room only through
/// <see cref="AnnounceAsync"/>, which hops onto the loop.
/// </summary>
public sealed class ChatHostedService(ILoggerFactory logging, ChatHostOptions options)
    : LoopHostedService(new LoopOptions { LoggerFactory = logging })
{
    private readonly ILogger _log = logging.CreateLogger("host.chat");
    private ChatRoom? _room;   // loop thread only
    private Server? _server;   // loop thread only

    /// <summary>Where the server listens, once the host has started.</summary>
    public EndPoint? LocalEndPoint { get; private set; }

    /// <inheritdoc />
    protected override async LoopTask InitializeAsync(Loop loop)
    {
        var room = _room = new ChatRoom(_log);
        _server = await loop.StartServerAsync(c => ChatSample.HandleAsync(c, room, options.ServerName), options.EndPoint);
        LocalEndPoint = _server.LocalEndPoint;
    }

    /// <inheritdoc />
    protected override LoopTask ExecuteAsync(Loop loop) =>
        ServerLifetime.ServeUntilCancelledAsync(loop, _server!, _log, "host", _room!.ShutDown);

    /// <summary>Posts an announcement into the room, from any thread.</summary>
    public Task AnnounceAsync(string text) =>
        LoopThread.InvokeAsync(() => _room!.Broadcast(ChatText.Message("server", text)));
}

/// <summary>Settings of the hosted chat server.</summary>
public sealed record ChatHostOptions(EndPoint EndPoint, string ServerName, TimeSpan AnnouncementInterval);
