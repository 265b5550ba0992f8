using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using EventLoop.Samples;
using EventLoop.Samples.Chat;
using EventLoop.Tests.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples;

/// <summary>One transcript suite, run against both chat servers: they must behave byte for byte the same.</summary>
[TestFixture("chat")]
[TestFixture("chat-protocol")]
public class ChatSampleTests(string style) : NetTestBase
{
    private EndPoint _server = null!;
    private LoopTask _serving;

    /// <summary>Starts the chat server in-process, exactly as the sample does, on a free port.</summary>
    private async LoopTask StartAsync()
    {
        var room = new ChatRoom(NullLogger.Instance);
        var server = style == "chat"
            ? await Loop.StartServerAsync(c => ChatSample.HandleAsync(c, room, "Test Chat"), Loopback0)
            : await Loop.CreateServerAsync(() => new ChatProtocolSample.ChatProtocol(room, "Test Chat"), Loopback0);
        _server = server.LocalEndPoint;
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
    public void ALineOverFourKiBIsRefusedAndTheConnectionStaysUsable()
    {
        Run(async () =>
        {
            await StartAsync();
            var user = await ChatClient.JoinAsync(Loop, _server, "user");
            user.Send(new string('x', 5000));
            await user.ExpectAsync("Line too long.\n");
            user.Send("short");
            await user.ExpectAsync("user: short\n");
            await StopAsync();
        });
    }

    [Test]
    public void ASlowConsumerIsCutOffWhileTheOthersKeepChatting()
    {
        Run(async () =>
        {
            await StartAsync();
            var talker = await ChatClient.JoinAsync(Loop, _server, "talker");
            var listener = await ChatClient.JoinAsync(Loop, _server, "listener");
            await talker.ExpectAsync("User 'listener' has joined the room\n");

            // The slow one: a raw socket with a tiny receive buffer that never reads after joining.
            using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await Loop.ConnectAsync(slow, _server);
            await Loop.SendAllAsync(slow, "slow\n"u8.ToArray());
            await talker.ExpectAsync("User 'slow' has joined the room\n");
            await listener.ExpectAsync("User 'slow' has joined the room\n");

            // Keep talking until the server cuts the slow one off. How much that takes depends on
            // the kernel's socket buffers (they absorb megabytes on loopback), so the bound is
            // generous; the talkers must keep getting every line meanwhile.
            var line = new string('m', 4000);
            bool cutOff = false;
            for (int i = 0; i < 5000 && !cutOff; i++)
            {
                talker.Send(line);
                foreach (var user in new[] { talker, listener })
                {
                    var got = await Loop.WaitForAsync(user.Connection.ReadLineAsync(), TimeSpan.FromSeconds(10));
                    if (got == "User 'slow' has left the room")
                    {
                        cutOff = true;
                        got = await Loop.WaitForAsync(user.Connection.ReadLineAsync(), TimeSpan.FromSeconds(10));
                    }
                    Assert.That(got, Is.EqualTo($"talker: {line}"));
                }
            }
            Assert.That(cutOff, Is.True, "the slow consumer was disconnected");
            talker.Send("still here");
            await talker.ExpectAsync("talker: still here\n");
            await listener.ExpectAsync("talker: still here\n");
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
            await unnamed.ExpectClosedAsync();
        });
    }
}
