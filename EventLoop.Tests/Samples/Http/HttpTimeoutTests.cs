using System.Text;
using EventLoop.Net;
using EventLoop.Samples.Http;
using EventLoop.Tests.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples.Http;

/// <summary>
/// The http server's timeouts on a manual clock (auto-advancing), over an in-memory connection:
/// the heartbeat checks deadlines once a second, so each timeout fires within a second after it
/// is due, and a test of a minute-long timeout takes no real time.
/// </summary>
public class HttpTimeoutTests : LoopTestBase
{
    private static readonly HttpLimits Limits = new() { HeaderTimeout = TimeSpan.FromSeconds(10), IdleTimeout = TimeSpan.FromSeconds(60) };
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs <paramref name="client"/> (given the client's and the server's end) against a server
    /// on a memory pair; returns when both are done. A timeout that never fires fails the test
    /// after ten minutes of manual time instead of spinning the clock forever.
    /// </summary>
    private T Serve<T>(Func<Connection, Connection, LoopTask<T>> client, int clientLimit = ConnectionOptions.DefaultLimit) =>
        Loop.RunUntilComplete(() => Loop.WaitForAsync(ServeAsync(client, clientLimit), TimeSpan.FromMinutes(10)));

    private T Serve<T>(Func<Connection, LoopTask<T>> client) => Serve((c, _) => client(c));

    private async LoopTask<T> ServeAsync<T>(Func<Connection, Connection, LoopTask<T>> client, int clientLimit)
    {
        var http = new HttpServer(Loop, Limits, NullLogger.Instance);
        http.Start();
        var (clientSide, serverSide) = MemoryTransport.CreateConnectionPair(Loop, new ConnectionOptions { Limit = clientLimit });
        await Loop.Yield(); // the pair connects in the first iteration
        var serving = Loop.Spawn(async () =>
        {
            try
            {
                await http.HandleAsync(serverSide);
            }
            finally
            {
                serverSide.Transport.Close(); // what the stream server does when a handler returns
            }
        });
        var result = await client(clientSide, serverSide);
        await serving;
        http.Stop();
        return result;
    }

    private static void Send(Connection connection, string text) => connection.Write(Encoding.ASCII.GetBytes(text));

    private static async LoopTask<string> ReadToCloseAsync(Connection connection)
    {
        try
        {
            return Encoding.ASCII.GetString(await HttpResponse.ReadToCloseAsync(connection));
        }
        catch (IOException)
        {
            return "<reset>";
        }
    }

    [Test]
    public void AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout()
    {
        var (response, rest) = Serve(async c =>
        {
            Send(c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            var response = await HttpResponse.ReadAsync(c);
            return (response, await ReadToCloseAsync(c));
        });

        Assert.That(response.Text, Is.EqualTo("Hello, World!"));
        Assert.That(rest, Is.Empty, "closed quietly: no request had begun");
        Assert.That(Elapsed, Is.InRange(Limits.IdleTimeout, Limits.IdleTimeout + Heartbeat));
    }

    [Test]
    public void HeadersTricklingInPastTheHeaderTimeoutGet408()
    {
        var text = Serve(async c =>
        {
            // Slowloris: a byte now and then, never the blank line. Each byte is sent before the
            // idle timeout would pass, yet the request as a whole has 10 s to arrive.
            var reading = Loop.Spawn(() => ReadToCloseAsync(c));
            foreach (char ch in "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: 1")
            {
                if (reading.IsCompleted) break;
                Send(c, ch.ToString());
                await Loop.Delay(TimeSpan.FromSeconds(2));
            }
            return await reading;
        });

        Assert.That(text, Does.StartWith("HTTP/1.1 408 "));
        Assert.That(text, Does.Contain("\r\nConnection: close\r\n"));
        Assert.That(Elapsed, Is.InRange(Limits.HeaderTimeout, Limits.HeaderTimeout + TimeSpan.FromSeconds(2) + Heartbeat));
    }

    [Test]
    public void ABodyThatStopsArrivingGets408AfterTheIdleTimeout()
    {
        var text = Serve(async c =>
        {
            Send(c, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf!");
            return await ReadToCloseAsync(c);
        });

        Assert.That(text, Does.StartWith("HTTP/1.1 408 "));
        Assert.That(Elapsed, Is.InRange(Limits.IdleTimeout, Limits.IdleTimeout + Heartbeat));
    }

    [Test]
    public void AClientThatNeverReadsItsResponsesIsCutOffAndTheServerHoldsABoundedAmount()
    {
        const int requests = 20_000; // about 3 MB of responses, were they all answered
        int mostUnsent = 0;
        Serve(async (c, server) =>
        {
            var request = "GET /json HTTP/1.1\r\nHost: t\r\n\r\n"u8.ToArray();
            for (int i = 0; i < requests; i++) c.Write(request);
            // Read nothing; watch the server's unsent output until it gives up on us.
            while (!c.IsClosing)
            {
                if (!server.IsClosing) mostUnsent = Math.Max(mostUnsent, server.Transport.WriteBufferSize);
                await Loop.Delay(TimeSpan.FromMilliseconds(100));
            }
            return true;
        }, clientLimit: 1024);

        Assert.That(Elapsed, Is.InRange(Limits.IdleTimeout, Limits.IdleTimeout + TimeSpan.FromSeconds(3)), "cut off after the idle timeout without progress");
        Assert.That(mostUnsent, Is.InRange(1, 256 * 1024), "the server stopped answering while the client was not reading");
    }
}
