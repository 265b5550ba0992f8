using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Host;

/// <summary>
/// The loop embedded in a host application: a Microsoft.Extensions.Hosting generic host runs
/// the chat server as a hosted service on its own loop thread, and another hosted service
/// posts an announcement into the room every 30 s. Ctrl+C stops host and loop together.
/// </summary>
public static class HostSample
{
    /// <summary>Builds the host.</summary>
    public static IHost Build(ChatHostOptions options, string[]? args = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(args ?? []);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChatHostedService>());
        builder.Services.AddHostedService<AnnouncementService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        return builder.Build();
    }

    /// <summary>The <c>host</c> sub-command.</summary>
    public static Command CreateCommand()
    {
        var command = new ServerCommand("host", $"Chat server inside a generic host, with announcements (default port {Chat.ChatSample.DefaultPort})", Chat.ChatSample.DefaultPort);
        var every = new Option<double>("--announce-every") { Description = "Seconds between announcements", DefaultValueFactory = _ => 30 }.MustBeAnInterval();
        command.Command.Add(every);
        command.Command.SetAction(parsed =>
        {
            var options = new ChatHostOptions(command.EndPoint(parsed), Chat.ChatText.DefaultServerName, TimeSpan.FromSeconds(parsed.GetValue(every)));
            using var host = Build(options);
            host.Start(); // the chat service prints where it listens once it does
            host.WaitForShutdown(); // the host's console lifetime handles Ctrl+C and SIGTERM
            return 0;
        });
        return command.Command;
    }
}
