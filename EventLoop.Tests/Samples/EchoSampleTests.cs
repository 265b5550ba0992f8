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
    private async LoopTask<(EndPoint EndPoint, Action Stop)> StartAsync()
    {
        switch (style)
        {
            case "echo":
            {
                var server = await Loop.StartServerAsync(EchoSample.HandleAsync, Loopback0);
                return (server.LocalEndPoint, server.Close);
            }
            case "echo-protocol":
            {
                var server = await Loop.CreateServerAsync(() => new EchoProtocolSample.EchoProtocol(), Loopback0);
                return (server.LocalEndPoint, server.Close);
            }
            case "echo-dispatcher":
            {
                var map = new DispatcherMap();
                var server = new EchoDispatcherSample.EchoServer(Loop, Loopback0, map, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
                server.Start();
                return (server.LocalEndPoint, map.CloseAll);
            }
            default:
            {
                var serving = Loop.Spawn(() => EchoSocketsSample.RunAsync(Loop, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, Loopback0));
                return (await ListeningEndPoint(), () => serving.Cancel());
            }
        }
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
            var (endpoint, stop) = await StartAsync();
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
            stop();
            return results;
        });

        for (int i = 0; i < clients; i++) Assert.That(echoed[i], Is.EqualTo(payloads[i]), $"client {i}");
    }

    [Test]
    public void HalfCloseGetsTheRestEchoedThenTheServerCloses()
    {
        var back = Run(async () =>
        {
            var (endpoint, stop) = await StartAsync();
            var connection = await Loop.OpenConnectionAsync(endpoint);
            connection.Write("last words"u8);
            connection.ShutdownWrite();
            var received = new MemoryStream();
            var buffer = new byte[64];
            int n;
            while ((n = await connection.ReadAsync(buffer)) > 0) received.Write(buffer, 0, n);
            stop();
            return received.ToArray();
        });

        Assert.That(back, Is.EqualTo("last words"u8.ToArray()));
    }
}
