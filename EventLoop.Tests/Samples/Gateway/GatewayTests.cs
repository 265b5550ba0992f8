using System.Net;
using EventLoop.Net;
using EventLoop.Samples.Echo;
using EventLoop.Samples.Gateway;
using EventLoop.Tests.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop.Tests.Samples.Gateway;

/// <summary>The gateway in-process over loopback, with the echo sample (or a probe) behind it.</summary>
public class GatewayTests : NetTestBase
{
    private EventLoop.Samples.Gateway.Gateway _gateway = null!;

    private async LoopTask<EndPoint> StartGatewayAsync(params EndPoint[] backends)
    {
        _gateway = new EventLoop.Samples.Gateway.Gateway(Loop, backends, NullLogger.Instance);
        return (await Loop.StartServerAsync(_gateway.HandleAsync, Loopback0)).LocalEndPoint;
    }

    private async LoopTask<EndPoint> StartEchoAsync() => (await Loop.StartServerAsync(c => EchoSample.HandleAsync(c, NullLogger.Instance), Loopback0)).LocalEndPoint;

    /// <summary>A port nothing listens on: bound, then closed.</summary>
    private static EndPoint DeadEndPoint()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket.LocalEndPoint!;
    }

    private async LoopTask<byte[]> EchoThroughAsync(EndPoint gateway, byte[] payload)
    {
        var connection = await Loop.OpenConnectionAsync(gateway);
        var reading = HttpReadToEnd(connection);
        for (int offset = 0; offset < payload.Length; offset += 64 * 1024)
        {
            connection.Write(payload.AsSpan(offset, Math.Min(64 * 1024, payload.Length - offset)));
            await connection.DrainAsync();
        }
        connection.ShutdownWrite(); // the half-close travels through the gateway to echo, whose close comes back
        var back = await reading;
        await connection.CloseAsync();
        return back;
    }

    private static LoopTask<byte[]> HttpReadToEnd(Connection connection) => EventLoop.Tests.Samples.Http.HttpResponse.ReadToCloseAsync(connection);

    /// <summary>256 KiB each here to keep the suite fast; the end-to-end test runs 50 × 1 MiB through the real processes.</summary>
    [Test]
    public void FiftyClientsAtOnceGetEveryByteBackThroughTheGateway()
    {
        const int clients = 50, size = 256 * 1024;
        var payloads = Enumerable.Range(0, clients).Select(i => RandomBytes(size, seed: 500 + i)).ToArray();
        var echoed = Run(async () =>
        {
            var gateway = await StartGatewayAsync(await StartEchoAsync());
            return await Loop.WhenAll(payloads.Select(p => EchoThroughAsync(gateway, p)).ToArray());
        });

        for (int i = 0; i < clients; i++) Assert.That(echoed[i], Is.EqualTo(payloads[i]), $"client {i}");
    }

    [Test]
    public void ABackendThatIsDownIsSkippedForTheNext()
    {
        var back = Run(async () =>
        {
            var gateway = await StartGatewayAsync(DeadEndPoint(), await StartEchoAsync());
            var results = new List<byte[]>();
            for (int i = 0; i < 4; i++) results.Add(await EchoThroughAsync(gateway, "ping"u8.ToArray())); // each client starts at the next backend
            return results;
        });

        Assert.That(back.Select(b => System.Text.Encoding.ASCII.GetString(b)), Is.EqualTo(new[] { "ping", "ping", "ping", "ping" }));
    }

    [Test]
    public void ClientsAreSharedRoundRobin()
    {
        var counts = Run(async () =>
        {
            int[] seen = new int[2];
            async LoopTask<EndPoint> Backend(int index) =>
                (await Loop.StartServerAsync(c => { seen[index]++; return EchoSample.HandleAsync(c, NullLogger.Instance); }, Loopback0)).LocalEndPoint;
            var gateway = await StartGatewayAsync(await Backend(0), await Backend(1));
            for (int i = 0; i < 6; i++) await EchoThroughAsync(gateway, [1, 2, 3]);
            return seen;
        });

        Assert.That(counts, Is.EqualTo(new[] { 3, 3 }));
    }

    [Test]
    public void WhenNoBackendAnswersTheClientIsClosedAndToldNothing()
    {
        var received = Run(async () =>
        {
            var gateway = await StartGatewayAsync(DeadEndPoint(), DeadEndPoint());
            var connection = await Loop.OpenConnectionAsync(gateway);
            connection.Write("anyone?"u8);
            return await HttpReadToEnd(connection);
        });

        Assert.That(received, Is.Empty);
    }

    [Test]
    public void HalfClosesTravelEachWayIndependently()
    {
        var (fromBackend, backendSaw) = Run(async () =>
        {
            var backendRead = Loop.CreateFuture<string>();
            // A backend that reads to the end first, then answers and closes: it needs the client's half-close to arrive.
            var backend = await Loop.StartServerAsync(async c =>
            {
                string request = await c.ReadToEndAsync();
                backendRead.TrySetResult(request);
                c.Write(System.Text.Encoding.ASCII.GetBytes("answer to " + request));
            }, Loopback0);
            var gateway = await StartGatewayAsync(backend.LocalEndPoint);
            var connection = await Loop.OpenConnectionAsync(gateway);
            connection.Write("question"u8);
            connection.ShutdownWrite();
            var answer = System.Text.Encoding.ASCII.GetString(await HttpReadToEnd(connection));
            return (answer, await backendRead.Task);
        });

        Assert.That(backendSaw, Is.EqualTo("question"));
        Assert.That(fromBackend, Is.EqualTo("answer to question"), "the backend's reply and its close came back after the client's half-close");
    }

    [Test]
    public void AClientResetClosesTheBackendConnection()
    {
        bool backendSawTheEnd = Run(async () =>
        {
            var ended = Loop.CreateFuture<bool>();
            var backend = await Loop.StartServerAsync(async c =>
            {
                try
                {
                    while (await c.ReadAsync(new byte[64]) > 0) { }
                }
                catch (IOException)
                {
                    // a reset is an end too
                }
                ended.TrySetResult(true);
            }, Loopback0);
            var gateway = await StartGatewayAsync(backend.LocalEndPoint);
            var connection = await Loop.OpenConnectionAsync(gateway);
            connection.Write("hello"u8);
            while (_gateway.Sessions.Count == 0) await Loop.Yield();
            connection.Abort();
            return await ended.Task;
        });

        Assert.That(backendSawTheEnd, Is.True);
    }

    /// <summary>
    /// A backend pours out 16 MiB while the client reads at most 32 KiB a millisecond: more than
    /// the kernel's socket buffers on both hops hold (about 4 MB each here), and slower than the
    /// backend writes, so the gateway's writes to the client back up. (The pace is real time on
    /// purpose: a reader slowed by loop iterations is not slow, as a busy loop polls its sockets
    /// only every BusyPollInterval iterations.) At every iteration the gateway holds at most its
    /// stated bound for the connection, and in the end every byte has arrived, in order.
    /// </summary>
    [Test]
    public void ASlowReaderBoundsWhatTheGatewayHolds()
    {
        const int total = 16 * 1024 * 1024;
        var block = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i % 251)).ToArray(); // 64 KiB is a multiple of nothing in 251: the pattern runs on
        int mostHeld = 0;
        long received = Run(async () =>
        {
            var backend = await Loop.StartServerAsync(async c =>
            {
                for (int sent = 0; sent < total; sent += block.Length)
                {
                    c.Write(block);
                    await c.DrainAsync();
                }
            }, Loopback0);
            var gateway = await StartGatewayAsync(backend.LocalEndPoint);
            var connection = await Loop.OpenConnectionAsync(gateway);
            var watching = true;
            var watcher = Loop.Spawn(async () =>
            {
                while (watching)
                {
                    foreach (var session in _gateway.Sessions) mostHeld = Math.Max(mostHeld, session.BufferedBytes);
                    await Loop.Yield();
                }
            });
            long count = 0;
            var buffer = new byte[32 * 1024];
            int n;
            while ((n = await connection.ReadAsync(buffer)) > 0)
            {
                for (int i = 0; i < n; i++)
                    if (buffer[i] != block[(int)((count + i) % block.Length)]) throw new AssertionException($"byte {count + i} is wrong");
                count += n;
                await Loop.Delay(TimeSpan.FromMilliseconds(1)); // a slow reader
            }
            watching = false;
            await watcher;
            return count;
        });

        Assert.That(received, Is.EqualTo(total));
        Assert.That(mostHeld, Is.InRange(1, 2 * EventLoop.Samples.Gateway.Gateway.MaxBufferedPerDirection));
    }
}
