using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;

namespace EventLoop.Tests.Samples;

/// <summary>
/// The server samples at the edges a user (or an attacker) pushes them to: a port already taken,
/// and a flood of connections far beyond the process's descriptor limit. Blocking sockets with
/// timeouts stand in for the clients: the test thread runs no loop.
/// </summary>
[Platform("Linux")]
[NonParallelizable]
public class ServerLimitsTests
{
    [TestCase("echo", "echo-protocol")]
    [TestCase("echo", "echo-sockets")]
    [TestCase("chat", "chat-protocol")]
    public void ASecondServerOnATakenPort_ExitsNonZeroWithOneLineNamingIt(string first, string second)
    {
        using var running = new SampleProcess(first, "--port", "0");
        int port = running.ReadListeningPort();

        using var refused = new SampleProcess(second, "--port", port.ToString());

        Assert.That(refused.WaitForExit(), Is.EqualTo(1));
        Assert.That(refused.Errors, Has.Count.EqualTo(1), string.Join('\n', refused.Errors));
        Assert.That(refused.Errors[0], Does.StartWith($"Cannot listen on 127.0.0.1:{port}: address already in use"), "the reason, not a log line with a stack trace");
        running.Signal(15);
        Assert.That(running.WaitForExit(), Is.Zero);
    }
}
