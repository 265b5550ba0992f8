using System.Net.Sockets;
using EventLoop.Net;
using EventLoop.Samples.Chat;

namespace EventLoop.Tests.Samples;

/// <summary>The chat's limits, for both styles: line length, names, and how much output a client may pile up.</summary>
public partial class ChatSampleTests
{
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
    public void VisibleNamesInAnyScriptAreFine()
    {
        Run(async () =>
        {
            await StartAsync();
            var first = await ChatClient.JoinAsync(Loop, _server, "caf\u00e9");
            foreach (var name in new[] { "\u0395\u03bb\u03ad\u03bd\u03b7", "\ud83e\udd8a", "\u0928\u093f\u0916\u093f\u0932" }) // Greek, an emoji (a surrogate pair), Devanagari with vowel signs
            {
                await ChatClient.JoinAsync(Loop, _server, name);
                await first.ExpectAsync($"User '{name}' has joined the room\n");
            }
            await StopAsync();
        });
    }

    [Test]
    public void ALineOverFourKiBAtTheNamePromptIsRefusedAndThePromptRepeats()
    {
        Run(async () =>
        {
            await StartAsync();
            var user = await ChatClient.ConnectAsync(Loop, _server);
            await user.ExpectAsync("Welcome to Test Chat\nEnter username: ");
            user.Send(new string('x', 5000));
            await user.ExpectAsync("Line too long.\nEnter username: ");
            user.Send("user");
            await user.ExpectAsync("User 'user' has joined the room\n");
            await StopAsync();
        });
    }

    [TestCase(4096, "\n", true)]
    [TestCase(4096, "\r\n", true)]
    [TestCase(4097, "\n", false)]
    [TestCase(4097, "\r\n", false)]
    public void TheFourKiBLimitIsOnTheLineNotItsTerminator(int length, string terminator, bool accepted)
    {
        Run(async () =>
        {
            await StartAsync();
            var user = await ChatClient.JoinAsync(Loop, _server, "user");
            var line = new string('x', length);
            user.Connection.Write(System.Text.Encoding.ASCII.GetBytes(line + terminator));
            await user.ExpectAsync(accepted ? $"user: {line}\n" : "Line too long.\n");
            user.Send("next");
            await user.ExpectAsync("user: next\n");
            await StopAsync();
        });
    }

    [Test]
    public void ALastLineWithoutANewlineCountsWhenTheClientFinishes()
    {
        Run(async () =>
        {
            await StartAsync();
            var stay = await ChatClient.JoinAsync(Loop, _server, "stay");
            var go = await ChatClient.JoinAsync(Loop, _server, "go");
            await stay.ExpectAsync("User 'go' has joined the room\n");

            go.Connection.Write("bye"u8);
            go.Connection.ShutdownWrite();
            await stay.ExpectAsync("go: bye\n");
            await stay.ExpectAsync("User 'go' has left the room\n");
            await go.ExpectAsync("go: bye\n");
            await go.ExpectClosedAsync();
            await StopAsync();
        });
    }

    /// <summary>
    /// A client that never reads and keeps sending lines that each earn a reply: every reply
    /// counts against its 1 MiB output limit, so the server cuts it off instead of buffering
    /// without bound. Empty names at the prompt (the case) and /users in a room of nine. The flood earns 16 MiB of replies, far more than the limit plus what the
    /// kernel absorbs (about 3 MB on loopback here, even with a 4 KiB receive buffer).
    /// </summary>
    [TestCase("", 0, TestName = "{m}(EmptyNamesAtThePrompt)")]
    [TestCase("/users", 8, TestName = "{m}(UsersRequests)")]
    public void AClientThatNeverReadsIsCutOffWhateverItsRepliesAre(string request, int otherMembers)
    {
        Run(async () =>
        {
            await StartAsync();
            var names = Enumerable.Range(0, otherMembers).Select(i => $"member{i}".PadRight(32, 'x')).Append("watcher").Append("flooder").ToList();
            ChatClient watcher = null!;
            foreach (var name in names.SkipLast(1)) watcher = await ChatClient.JoinAsync(Loop, _server, name);
            var reply = request == "" ? ChatText.NameInvalid + ChatText.Prompt : ChatText.Users(names);
            long floodBytes = 16L * 1024 * 1024 / System.Text.Encoding.UTF8.GetByteCount(reply) * (request.Length + 1);

            using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await Loop.ConnectAsync(flooder, _server);
            if (request == "/users") await Loop.SendAllAsync(flooder, "flooder\n"u8.ToArray());
            var chunk = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(request + "\n", 64 * 1024 / (request.Length + 1))));
            try
            {
                for (long sent = 0; sent < floodBytes; sent += chunk.Length) await Loop.SendAllAsync(flooder, chunk);
            }
            catch (SocketException)
            {
                // reset by the server mid-flood
            }

            // The server works through the flood (the kernel may hold much of it) and must cut the
            // flooder off; the watcher's round trips show the others are served meanwhile.
            int connectionsWithoutFlooder = otherMembers + 1;
            for (int roundTrips = 0; _serverHandle.ConnectionCount > connectionsWithoutFlooder; roundTrips++)
            {
                Assert.That(roundTrips, Is.LessThan(1000), "the flooding client was never cut off");
                watcher.Send("/users");
                while (await Loop.WaitForAsync(watcher.Connection.ReadLineAsync(), TimeSpan.FromSeconds(10)) is { } line && !line.StartsWith("Users: "))
                {
                    // the flooder's join and leave lines
                }
            }
            Assert.That(await ReadUntilTheEndAsync(flooder), Is.LessThan(64 * 1024), "what reached the flooder before the reset: its kernel buffers' worth at most");
            await StopAsync();
        });
    }

    /// <summary>Reads a raw socket to its end (EOF or reset) and returns how many bytes came.</summary>
    private async LoopTask<long> ReadUntilTheEndAsync(Socket socket)
    {
        long received = 0;
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await Loop.WaitForAsync(Loop.ReceiveAsync(socket, buffer), TimeSpan.FromSeconds(10))) > 0) received += n;
        }
        catch (SocketException)
        {
            // reset: the end too
        }
        return received;
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
}
