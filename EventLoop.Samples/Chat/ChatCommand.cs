using System.CommandLine;
using System.Net;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Chat;

/// <summary>The options both chat sub-commands share: host, port, connection limit, server name.</summary>
internal static class ChatCommand
{
    public static Command Create(string name, string description, Func<Loop, ILoggerFactory, EndPoint, string, ServerOptions, LoopTask> run)
    {
        var command = new ServerCommand(name, $"{description} (default port {ChatSample.DefaultPort})", ChatSample.DefaultPort);
        var serverName = new Option<string>("--name") { Description = "Server name in the greeting", DefaultValueFactory = _ => ChatText.DefaultServerName }
            .MustBeOneLineOfText(ChatText.MaxServerNameLength);
        command.Command.Add(serverName);
        command.Command.SetAction(parsed =>
            SampleRunner.Run((loop, logging) => run(loop, logging, command.EndPoint(parsed), parsed.GetValue(serverName)!, command.ServerOptions(parsed))));
        return command.Command;
    }
}
