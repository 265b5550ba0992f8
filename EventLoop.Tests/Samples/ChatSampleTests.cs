using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using EventLoop.Samples;
using EventLoop.Samples.Chat;
using EventLoop.Tests.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples;

/// <summary>
/// One transcript suite, run against both chat servers: they must behave byte for byte the same.
/// This part: the conversation; ChatSampleTests.Limits.cs: lines, names and output bounds.
/// </summary>
[TestFixture("chat")]
[TestFixture("chat-protocol")]
public partial class ChatSampleTests(string style) : NetTestBase
{
    private EndPoint _server = null!;
    private Server _serverHandle = null!;
    private LoopTask _serving;

    /// <summary>Starts the chat server in-process, exactly as the sample does, on a free port.</summary>
    private async LoopTask StartAsync()
    {
        var room = new ChatRoom(NullLogger.Instance);
        var server = style == "chat"
            ? await Loop.StartServerAsync(c => ChatSample.HandleAsync(c, room, "Test Chat"), Loopback0)
            : await Loop.CreateServerAsync(() => new ChatProtocolSample.ChatProtocol(room, "Test Chat"), Loopback0);
        _server = server.LocalEndPoint;
        _serverHandle = server;
        _serving = Loop.Spawn(() => ServerLifetime.ServeUntilCancelledAsync(Loop, server, NullLogger.Instance, style, room.ShutDown));
    }

    private async LoopTask StopAsync()
    {
        _serving.Cancel();
        try { await _serving; } catch (OperationCanceledException) { }
    }

    [Test]
    public void JoinGreetsPromptsAndAnnounces()
    {
        Run(async () =>
        {
            await StartAsync();
            var alice = await ChatClient.JoinAsync(Loop, _server, "alice");
            var bob = await ChatClient.JoinAsync(Loop, _server, "bob");
            await alice.ExpectAsync("User 'bob' has joined the room\n");
            await StopAsync();
        });
    }

    [Test]
    public void TakenAndInvalidNamesAreRefusedAndThePromptRepeats()
    {
        Run(async () =>
        {
            await StartAsync();
            await ChatClient.JoinAsync(Loop, _server, "alice");
            var other = await ChatClient.ConnectAsync(Loop, _server);
            await other.ExpectAsync("Welcome to Test Chat\nEnter username: ");
            foreach (var (name, answer) in new[]
            {
                ("alice", "Sorry, that username is taken.\n"),
                ("", "Sorry, that username is not valid.\n"),
                ("two words", "Sorry, that username is not valid.\n"),
                (new string('n', 33), "Sorry, that username is not valid.\n"),
                ("bell\u0007", "Sorry, that username is not valid.\n"),
                ("alice\u200b", "Sorry, that username is not valid.\n"), // zero-width space: would pass for "alice"
                ("ali\u00adce", "Sorry, that username is not valid.\n"), // soft hyphen
                ("\u2060alice", "Sorry, that username is not valid.\n"), // word joiner
                ("alice\ufeff", "Sorry, that username is not valid.\n"), // byte order mark
                ("\u3164", "Sorry, that username is not valid.\n"),      // Hangul filler: a blank letter
                ("a\u202eecila", "Sorry, that username is not valid.\n"), // right-to-left override
                ("alice\ufe0f", "Sorry, that username is not valid.\n"), // variation selector
            })
            {
                other.Send(name);
                await other.ExpectAsync(answer + "Enter username: ");
            }
            other.Send(new string('n', 32));
            await other.ExpectAsync($"User '{new string('n', 32)}' has joined the room\n");
            await StopAsync();
        });
    }

    [Test]
    public void MessagesFanOutToEveryoneTheSenderIncluded_AndATrailingCarriageReturnIsIgnored()
    {
        Run(async () =>
        {
            await StartAsync();
            var a = await ChatClient.JoinAsync(Loop, _server, "a");
            var b = await ChatClient.JoinAsync(Loop, _server, "b");
            await a.ExpectAsync("User 'b' has joined the room\n");
            var c = await ChatClient.JoinAsync(Loop, _server, "c");
            await a.ExpectAsync("User 'c' has joined the room\n");
            await b.ExpectAsync("User 'c' has joined the room\n");

            a.Connection.Write("hello, room\r\n"u8);
            foreach (var user in new[] { a, b, c }) await user.ExpectAsync("a: hello, room\n");
            await StopAsync();
        });
    }

    [Test]
    public void UsersAnswersOnlyTheAskerSorted()
    {
        Run(async () =>
        {
            await StartAsync();
            var zed = await ChatClient.JoinAsync(Loop, _server, "zed");
            var amy = await ChatClient.JoinAsync(Loop, _server, "amy");
            await zed.ExpectAsync("User 'amy' has joined the room\n");

            amy.Send("/users");
            await amy.ExpectAsync("Users: amy, zed\n");
            zed.Send("after");
            await zed.ExpectAsync("zed: after\n"); // zed got nothing in between
            await amy.ExpectAsync("zed: after\n");
            await StopAsync();
        });
    }

    [Test]
    public void QuitLeavesAndTheOthersAreToldOnce()
    {
        Run(async () =>
        {
            await StartAsync();
            var stay = await ChatClient.JoinAsync(Loop, _server, "stay");
            var go = await ChatClient.JoinAsync(Loop, _server, "go");
            await stay.ExpectAsync("User 'go' has joined the room\n");

            go.Send("/quit");
            await go.ExpectClosedAsync();
            await stay.ExpectAsync("User 'go' has left the room\n");
            stay.Send("alone");
            await stay.ExpectAsync("stay: alone\n");
            await StopAsync();
        });
    }

    [Test]
    public void AnAbruptDisconnectIsAnnouncedExactlyOnce()
    {
        Run(async () =>
        {
            await StartAsync();
            var stay = await ChatClient.JoinAsync(Loop, _server, "stay");
            var crash = await ChatClient.JoinAsync(Loop, _server, "crash");
            await stay.ExpectAsync("User 'crash' has joined the room\n");

            crash.Connection.Abort(); // RST, no /quit
            await stay.ExpectAsync("User 'crash' has left the room\n");
            stay.Send("next");
            await stay.ExpectAsync("stay: next\n"); // no second "left" line in between
            await StopAsync();
        });
    }

    [Test]
    public void ShutdownTellsEveryoneAndClosesThem()
    {
        Run(async () =>
        {
            await StartAsync();
            var a = await ChatClient.JoinAsync(Loop, _server, "a");
            var b = await ChatClient.JoinAsync(Loop, _server, "b");
            await a.ExpectAsync("User 'b' has joined the room\n");
            var unnamed = await ChatClient.ConnectAsync(Loop, _server);
            await unnamed.ExpectAsync("Welcome to Test Chat\nEnter username: ");

            await StopAsync();

            foreach (var user in new[] { a, b })
            {
                await user.ExpectAsync("Server is shutting down.\n");
                await user.ExpectClosedAsync();
            }
            await unnamed.ExpectAsync("Server is shutting down.\n");
            await unnamed.ExpectClosedAsync();
        });
    }
}
