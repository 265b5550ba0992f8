using Microsoft.Extensions.Hosting;

namespace EventLoop.Samples.Host;

/// <summary>Ordinary host code on the thread pool: every interval it posts the time into the chat room through the thread-safe API.</summary>
public sealed class AnnouncementService(ChatHostedService chat, ChatHostOptions options, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.AnnouncementInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await chat.AnnounceAsync($"The time is {time.GetUtcNow():HH:mm:ss} UTC").ConfigureAwait(false);
        }
    }
}
