using System.Net;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Tests.Samples;

/// <summary>A scripted chat user: sends lines and expects exact bytes back (prompts have no newline).</summary>
internal sealed class ChatClient(Loop loop, Connection connection)
{
    public Connection Connection { get; } = connection;

    public static async LoopTask<ChatClient> ConnectAsync(Loop loop, EndPoint server) =>
        new(loop, await loop.OpenConnectionAsync(server));

    /// <summary>Connects, reads the greeting and prompt, joins as <paramref name="name"/> and reads the joined line.</summary>
    public static async LoopTask<ChatClient> JoinAsync(Loop loop, EndPoint server, string name)
    {
        var client = await ConnectAsync(loop, server);
        await client.ExpectAsync("Welcome to Test Chat\nEnter username: ");
        client.Send(name);
        await client.ExpectAsync($"User '{name}' has joined the room\n");
        return client;
    }

    public void Send(string line) => Connection.WriteLine(line);

    /// <summary>Reads exactly the bytes of <paramref name="expected"/> (bounded in time) and compares.</summary>
    public async LoopTask ExpectAsync(string expected)
    {
        var bytes = await loop.WaitForAsync(Connection.ReadExactlyAsync(Encoding.UTF8.GetByteCount(expected)), TimeSpan.FromSeconds(10));
        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(expected));
    }

    /// <summary>Expects the server to close: end of stream with nothing more.</summary>
    public async LoopTask ExpectClosedAsync()
    {
        int n = await loop.WaitForAsync(Connection.ReadAsync(new byte[1]).AsLoopTask(), TimeSpan.FromSeconds(10));
        Assert.That(n, Is.Zero, "the server closed the connection");
    }
}

internal static class ValueTaskExtensions
{
    /// <summary>Adapts a ValueTask for WaitForAsync in tests.</summary>
    public static async LoopTask<T> AsLoopTask<T>(this ValueTask<T> task) => await task;
}
