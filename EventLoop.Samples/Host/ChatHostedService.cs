using System.Net;
using EventLoop.Net;
using EventLoop.Samples.Chat;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Host;

/// <summary>
/// The chat server as a hosted service: its own loop on its own thread. The host's other code
/// reaches the room only through <see cref="AnnounceAsync"/>, which hops onto the loop.
/// </summary>
public sealed class ChatHostedService(ILoggerFactory logging, ChatHostOptions options) : IHostedService, IDisposable
{
    private LoopThread? _loop;
    private ChatRoom? _room;

    /// <summary>Where the server listens, once started.</summary>
    public EndPoint? LocalEndPoint { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var listening = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = new LoopThread("chat loop", loop => ServeAsync(loop, listening), new LoopOptions { LoggerFactory = logging });
        LocalEndPoint = await listening.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async LoopTask ServeAsync(Loop loop, TaskCompletionSource<EndPoint> listening)
    {
        var log = logging.CreateLogger("host.chat");
        _room = new ChatRoom(log);
        var room = _room;
        var server = await loop.StartServerAsync(c => ChatSample.HandleAsync(c, room, options.ServerName), options.EndPoint);
        listening.TrySetResult(server.LocalEndPoint);
        await ServerLifetime.ServeUntilCancelledAsync(loop, server, log, "host", room.ShutDown);
    }

    /// <summary>Posts an announcement into the room, from any thread.</summary>
    public Task AnnounceAsync(string text) =>
        _loop is null
            ? Task.CompletedTask
            : _loop.InvokeAsync(() =>
            {
                _room!.Broadcast(ChatText.Message("server", text));
                return LoopTask.FromResult(true);
            });

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => _loop?.StopAsync() ?? Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _loop?.Dispose();
}

/// <summary>Settings of the hosted chat server.</summary>
public sealed record ChatHostOptions(EndPoint EndPoint, string ServerName, TimeSpan AnnouncementInterval);
