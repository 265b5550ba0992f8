using EventLoop.Benchmarks.Load;
using EventLoop.Net;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// The hidden <c>chat-server --kind floor|chat|chat-protocol [--port 0] [--max-seconds N]</c>
/// sub-mode: one chat server in a process of its own, driven as <see cref="ServerControl"/>
/// describes. The server's own "… listening on ADDRESS:PORT" line tells the generator the port.
/// On <c>exit</c> it stops the way the samples stop on Ctrl+C, and exits 1 if that was not clean.
/// </summary>
internal static class ChatServerMode
{
    private const string Mode = "chat-server";

    public static int Run(string[] args)
    {
        var arguments = ServerControl.Parse(Mode, args);
        var kind = ChatServerKinds.Parse(arguments.Kind);
        using var watchdog = ServerControl.StartWatchdog(Mode, arguments.MaxSeconds);
        OpenFileLimit.RaiseToHardLimit(); // thousands of clients
        using IChatServer server = kind == ChatServerKind.Floor
            ? new FloorChatServer(arguments.Port)
            : new SampleChatServer(kind, arguments.Port);
        ServerControl.Serve(openConnections: () => 0);
        return server.Stop() ? 0 : 1;
    }
}
