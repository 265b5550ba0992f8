using System.Text;
using EventLoop.Benchmarks.Chat;

namespace EventLoop.Tests.Benchmarks;

/// <summary>
/// The chat benchmark fails a run on any wrong line; that rests on its client's checks, tested here
/// on scripted streams (the benchmark itself is not run in the suite). Room: three clients, the
/// first two send, up to four lines in flight each; the stream is client 0's.
/// </summary>
public class ChatLoadCheckTests
{
    private ChatRoomPlan _plan = null!;
    private ChatClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _plan = new ChatRoomPlan(clients: 3, senders: 2, lineBytes: 24, depth: 4);
        _client = new ChatClient(_plan, index: 0);
        // Joined: the welcome, the prompt (no newline), its own join, then the later two.
        Receive(_client, "Welcome to EventLoop Chat\nEnter username: User 'u00000' has joined the room\n");
        Assert.That(_client.HasJoined && !_client.SawEveryJoin);
        Receive(_client, "User 'u00001' has joined the room\nUser 'u00002' has joined the room\n");
        Assert.That(_client.SawEveryJoin);
    }

    [Test]
    public void A_correct_stream_passes_and_each_own_line_frees_the_next_send()
    {
        var own = SendLines(sender: 0, count: 1);
        var other = SendLines(sender: 1, count: 2);
        Assert.That(_client.InFlight, Is.EqualTo(1));
        int lines = Receive(_client, Broadcast(1, other[0]) + Broadcast(0, own[0]) + Broadcast(1, other[1]));
        Assert.That((lines, _client.InFlight, _client.Owed, _client.Missing()), Is.EqualTo((3, 0, 1, (string?)null)));
        _client.ExpectShutdown();
        Receive(_client, "Server is shutting down.\n");
        Assert.DoesNotThrow(_client.EndOfStream);
    }

    [Test]
    public void A_reordered_line_fails()
    {
        var other = SendLines(sender: 1, count: 2);
        var error = Assert.Throws<ChatVerificationException>(() => Receive(_client, Broadcast(1, other[1]) + Broadcast(1, other[0])));
        Assert.That(error!.Message, Does.Contain("line 1 of that sender where line 0 was next"));
    }

    [Test]
    public void A_missing_line_fails_when_a_later_one_arrives_and_at_the_end()
    {
        var other = SendLines(sender: 1, count: 3);
        Receive(_client, Broadcast(1, other[0]));
        Assert.That(_client.Missing(), Is.EqualTo("u00000 is missing 2 line(s) of u00001"));
        Assert.Throws<ChatVerificationException>(() => Receive(_client, Broadcast(1, other[2])));
    }

    [Test]
    public void A_line_with_one_wrong_byte_fails()
    {
        var other = SendLines(sender: 1, count: 1);
        string corrupted = other[0][..15] + (other[0][15] == 'x' ? 'y' : 'x') + other[0][16..];
        Assert.Throws<ChatVerificationException>(() => Receive(_client, Broadcast(1, corrupted)));
    }

    [Test]
    public void A_line_from_a_client_that_does_not_send_fails()
    {
        var other = SendLines(sender: 1, count: 1);
        Assert.Throws<ChatVerificationException>(() => Receive(_client, Broadcast(2, other[0])));
    }

    [Test]
    public void Anything_extra_before_the_shutdown_line_or_a_close_without_it_fails()
    {
        var other = SendLines(sender: 1, count: 1);
        Receive(_client, Broadcast(1, other[0]));
        _client.ExpectShutdown();
        Assert.Throws<ChatVerificationException>(() => Receive(_client, Broadcast(1, other[0])));
        var another = new ChatClient(_plan, index: 2);
        Receive(another, "Welcome to EventLoop Chat\nEnter username: User 'u00002' has joined the room\n");
        another.ExpectShutdown();
        Assert.Throws<ChatVerificationException>(another.EndOfStream);
    }

    /// <summary>Makes <paramref name="sender"/>'s client write its next lines, as the generator would; returns them without newlines.</summary>
    private string[] SendLines(int sender, int count)
    {
        var client = sender == 0 ? _client : new ChatClient(_plan, sender);
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            client.PrepareLines(1, now: 0);
            lines.Add(Encoding.ASCII.GetString(client.PendingOutput).TrimEnd('\n'));
            client.Sent(client.PendingOutput.Length);
        }
        return [.. lines];
    }

    private static string Broadcast(int from, string text) => $"u{from:D5}: {text}\n";

    /// <summary>Feeds <paramref name="text"/> to <paramref name="client"/> as received bytes; returns the chat lines in it.</summary>
    private static int Receive(ChatClient client, string text) => client.Feed(Encoding.ASCII.GetBytes(text));
}
