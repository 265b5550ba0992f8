using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using EventLoop.Samples.Echo;
using EventLoop.Tests.Net;

namespace EventLoop.Tests.Samples;

/// <summary>The four echo servers, in-process over loopback: 10 clients at once, 1 MiB each, every byte back in order.</summary>
[TestFixture("echo")]
[TestFixture("echo-protocol")]
[TestFixture("echo-sockets")]
[TestFixture("echo-dispatcher")]
public class EchoSampleTests(string style) : NetTestBase
{
    /// <summary>Starts the server in-process; the stop function closes it and waits for what it can (the servers: every handler to return).</summary>
    private async LoopTask<(EndPoint EndPoint, Func<LoopTask> StopAsync)> StartAsync()
    {
        switch (style)
        {
            case "echo":
            {
                var server = await Loop.StartServerAsync(c => EchoSample.HandleAsync(c, Logs.CreateLogger("echo")), Loopback0);
                return (server.LocalEndPoint, () => CloseAsync(server));
            }
            case "echo-protocol":
            {
                var server = await Loop.CreateServerAsync(() => new EchoProtocolSample.EchoProtocol(), Loopback0);
                return (server.LocalEndPoint, () => CloseAsync(server));
            }
            case "echo-dispatcher":
            {
                var map = new DispatcherMap();
                var server = new EchoDispatcherSample.EchoServer(Loop, Loopback0, map, Logs.CreateLogger("echo-dispatcher"));
                server.Start();
                return (server.LocalEndPoint, () =>
                {
                    map.CloseAll();
                    return LoopTask.CompletedTask;
                });
            }
            default:
            {
                var serving = Loop.Spawn(() => EchoSocketsSample.RunAsync(Loop, Logs, Loopback0));
                return (await ListeningEndPoint(), async () =>
                {
                    serving.Cancel();
                    try { await serving; } catch (OperationCanceledException) { }
                });
            }
        }
    }

    private static LoopTask CloseAsync(Server server)
    {
        server.Close();
        return server.WaitClosedAsync();
    }

    /// <summary>echo-sockets owns its listener: find its port the way a user would, from what it prints.</summary>
    private async LoopTask<EndPoint> ListeningEndPoint()
    {
        for (int i = 0; i < 100; i++)
        {
            if (_printed.ToString().Split(' ').LastOrDefault()?.Trim() is { Length: > 0 } text && IPEndPoint.TryParse(text, out var endpoint)) return endpoint;
            await Loop.Yield();
        }
        throw new InvalidOperationException("echo-sockets did not say where it listens: " + _printed);
    }

    private StringWriter _printed = null!;
    private TextWriter _originalOut = null!;

    [SetUp]
    public void CaptureOutput()
    {
        _printed = new StringWriter();
        _originalOut = Console.Out;
        Console.SetOut(_printed);
    }

    [TearDown]
    public void RestoreOutput() => Console.SetOut(_originalOut);

    [Test]
    public void TenClientsAtOnce_OneMiBEach_EveryByteBackInOrder()
    {
        const int clients = 10, size = 1024 * 1024;
        var payloads = Enumerable.Range(0, clients).Select(i => RandomBytes(size, seed: 100 + i)).ToArray();
        var echoed = Run(async () =>
        {
            var (endpoint, stopAsync) = await StartAsync();
            async LoopTask<byte[]> Client(byte[] payload)
            {
                var connection = await Loop.OpenConnectionAsync(endpoint);
                var reading = connection.ReadExactlyAsync(payload.Length);
                for (int offset = 0; offset < payload.Length; offset += 32 * 1024)
                {
                    connection.Write(payload.AsSpan(offset, Math.Min(32 * 1024, payload.Length - offset)));
                    await connection.DrainAsync();
                }
                var back = await reading;
                await connection.CloseAsync();
                return back;
            }
            var results = await Loop.WhenAll(payloads.Select(Client).ToArray());
            await stopAsync();
            return results;
        });

        for (int i = 0; i < clients; i++) Assert.That(echoed[i], Is.EqualTo(payloads[i]), $"client {i}");
    }

    [Test]
    public void HalfCloseGetsTheRestEchoedThenTheServerCloses()
    {
        var back = Run(async () =>
        {
            var (endpoint, stopAsync) = await StartAsync();
            var connection = await Loop.OpenConnectionAsync(endpoint);
            connection.Write("last words"u8);
            connection.ShutdownWrite();
            var received = new MemoryStream();
            var buffer = new byte[64];
            int n;
            while ((n = await connection.ReadAsync(buffer)) > 0) received.Write(buffer, 0, n);
            await stopAsync();
            return received.ToArray();
        });

        Assert.That(back, Is.EqualTo("last words"u8.ToArray()));
    }

    [Test]
    public void AClientThatResetsIsNormal_NoErrorIsLoggedOrReported_AndOthersAreServed()
    {
        var back = Run(async () =>
        {
            var (endpoint, stopAsync) = await StartAsync();
            var resetter = await Loop.OpenConnectionAsync(endpoint);
            resetter.Write("first"u8);
            await resetter.ReadExactlyAsync(5); // the server is in its read loop now
            resetter.Abort();                   // RST: no goodbye

            var next = await Loop.OpenConnectionAsync(endpoint);
            next.Write("next"u8);
            var echoed = await next.ReadExactlyAsync(4);
            await next.CloseAsync();
            await stopAsync(); // every handler has returned: the reset has been dealt with
            return echoed;
        });

        Assert.That(back, Is.EqualTo("next"u8.ToArray()));
        Assert.That(Reported, Is.Empty, "nothing reported through the loop's exception handler");
        // and no error-level log (NetTestBase checks that for every test)
    }
}
