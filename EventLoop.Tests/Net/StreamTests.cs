using System.Net;
using System.Net.Sockets;
using System.Text;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Net;

[TestFixture(SelectorKind.Default)]
[TestFixture(SelectorKind.SocketSelect)]
public class StreamTests(SelectorKind selector) : NetTestBase(selector)
{
    [Test]
    public void ServersBindLoopbackOnAFreePortByDefault()
    {
        var server = Loop.RunUntilComplete(Loop.StartServerAsync(EchoHandler));
        var endpoint = (IPEndPoint)server.LocalEndPoint;

        Assert.That(endpoint.Address, Is.EqualTo(IPAddress.Loopback));
        Assert.That(endpoint.Port, Is.Not.Zero);
        server.Close();
    }

    [Test]
    public void EchoOverStreams_EveryByteBackInOrder()
    {
        var data = RandomBytes(1024 * 1024, seed: 1);
        var echoed = Run(async () =>
        {
            var server = await Loop.StartServerAsync(EchoHandler);
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.Write(data);
            client.ShutdownWrite();
            var received = new byte[data.Length];
            await client.ReadExactlyAsync(received);
            Assert.That(await client.ReadAsync(new byte[1]), Is.Zero, "the server closed after our half-close");
            await client.CloseAsync();
            server.Close();
            await server.WaitClosedAsync();
            return received;
        });

        Assert.That(echoed, Is.EqualTo(data));
    }

    [Test]
    public void TwoHundredClientsAtOnceOnOneLoop()
    {
        const int clients = 200;
        var replies = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async connection =>
            {
                while (await connection.ReadLineAsync() is { } line) connection.WriteLine(line.ToUpperInvariant());
            });
            async LoopTask<string?> Client(int i)
            {
                var connection = await Loop.OpenConnectionAsync(server.LocalEndPoint);
                connection.WriteLine($"hello {i}");
                var reply = await connection.ReadLineAsync();
                await connection.CloseAsync();
                return reply;
            }
            var all = await Loop.WhenAll(Enumerable.Range(0, clients).Select(Client).ToArray());
            server.Close();
            await server.WaitClosedAsync();
            return all;
        });

        Assert.That(replies, Is.EqualTo(Enumerable.Range(0, clients).Select(i => $"HELLO {i}")));
    }

    [Test]
    public void HalfClose_TheServerStillRepliesAfterTheClientShutsDownItsSendingSide()
    {
        var reply = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async connection =>
            {
                var received = new List<string>();
                while (await connection.ReadLineAsync() is { } line) received.Add(line);
                connection.WriteLine($"got {received.Count} lines: {string.Join(",", received)}");
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.WriteLine("a");
            client.WriteLine("b");
            client.ShutdownWrite();
            var answer = await client.ReadLineAsync();
            await client.CloseAsync();
            server.Close();
            return answer;
        });

        Assert.That(reply, Is.EqualTo("got 2 lines: a,b"));
    }

    [Test]
    public void ALineOverTheLimitThrows_ItIsDiscardedWhole_AndTheNextLineReadsFine()
    {
        var outcome = Run(async () =>
        {
            var results = new List<string>();
            var server = await Loop.StartServerAsync(async connection =>
            {
                while (true)
                {
                    try
                    {
                        var line = await connection.ReadLineAsync();
                        if (line is null) break;
                        results.Add($"line:{line}");
                    }
                    catch (LimitOverrunException e)
                    {
                        results.Add($"too long (limit {e.Limit})");
                    }
                }
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.WriteLine("before");
            client.WriteLine(new string('x', 100 * 1024)); // 100 KiB against the 64 KiB default
            client.WriteLine("after");
            await client.CloseAsync();
            server.Close();
            await server.WaitClosedAsync();
            return results;
        });

        Assert.That(outcome, Is.EqualTo(new[] { "line:before", $"too long (limit {ConnectionOptions.DefaultLimit})", "line:after" }));
    }

    [Test]
    public void ReadExactly_HittingEndOfStream_CarriesThePartialData()
    {
        var error = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async connection =>
            {
                connection.Write("12345"u8);
                await connection.DrainAsync();
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            try
            {
                await client.ReadExactlyAsync(10);
                return null;
            }
            catch (IncompleteReadException e)
            {
                return e;
            }
            finally
            {
                server.Close();
            }
        });

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Partial, Is.EqualTo("12345"u8.ToArray()));
        Assert.That(error.Expected, Is.EqualTo(10));
    }

    [Test]
    public void AZeroByteReadWaitsForDataWithoutConsumingIt_AndReturnsZeroAtTheEnd()
    {
        var outcome = Run(async () =>
        {
            var arrived = Loop.CreateFuture<bool>();
            var server = await Loop.StartServerAsync(async c =>
            {
                await arrived.Task;
                c.Write("data"u8);
                await c.DrainAsync();
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            var wait = client.ReadAsync(Memory<byte>.Empty);
            await Loop.Delay(TimeSpan.FromMilliseconds(5));
            bool waitedForData = !wait.IsCompleted;
            arrived.SetResult(true);
            int zero = await wait;
            int buffered = client.BufferedCount;
            var text = System.Text.Encoding.ASCII.GetString(await client.ReadExactlyAsync(4));
            int atEnd = await client.ReadAsync(Memory<byte>.Empty); // the server's handler ended: the end of stream
            server.Close();
            return (waitedForData, zero, buffered, text, atEnd, client.BufferedCount);
        });

        Assert.That(outcome.waitedForData, Is.True, "it waited for data");
        Assert.That(outcome.zero, Is.Zero);
        Assert.That(outcome.buffered, Is.EqualTo(4), "nothing was consumed");
        Assert.That(outcome.text, Is.EqualTo("data"));
        Assert.That(outcome.atEnd, Is.Zero);
    }

    [Test]
    public void ASecondConcurrentReadThrowsAtOnce()
    {
        Run(async () =>
        {
            var server = await Loop.StartServerAsync(async c => await c.ReadLineAsync());
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            var first = client.ReadLineAsync();

            Assert.Throws<InvalidOperationException>(() => client.ReadAsync(new byte[8]));
            Assert.ThrowsAsync<InvalidOperationException>(async () => await client.ReadLineAsync().AsTask());

            first.Cancel();
            Assert.That(first.Status, Is.EqualTo(LoopTaskStatus.Pending).Or.EqualTo(LoopTaskStatus.Canceled));
            await client.CloseAsync();
            server.Close();
        });
    }

    [Test]
    public void CancellingAPendingReadLosesNoData()
    {
        var line = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async c =>
            {
                await c.ReadLineAsync(); // wait for "go"
                c.WriteLine("payload");
                await c.DrainAsync();
                await c.ReadLineAsync();
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            var pending = client.ReadLineAsync();
            await Loop.Yield();
            pending.Cancel();
            try { await pending; } catch (OperationCanceledException) { }
            client.WriteLine("go");
            var result = await client.ReadLineAsync();
            await client.CloseAsync();
            server.Close();
            return result;
        });

        Assert.That(line, Is.EqualTo("payload"));
    }

    [Test]
    public void ASlowReaderGetsEverything_AndTheWriterIsHeldBackByDrain()
    {
        const int total = 1024 * 1024;
        var data = RandomBytes(total, seed: 2);
        int maxBufferedByServer = 0;
        var received = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async connection =>
            {
                // The slow reader: small reads with a pause between them.
                var output = new MemoryStream();
                var chunk = new byte[4096];
                int n;
                while ((n = await connection.ReadAsync(chunk)) > 0)
                {
                    output.Write(chunk, 0, n);
                    maxBufferedByServer = Math.Max(maxBufferedByServer, connection.BufferedCount);
                    await Loop.Delay(TimeSpan.FromMilliseconds(n % 3 == 0 ? 1 : 0));
                }
                connection.Write(output.ToArray().AsSpan(0, 0));
                connection.WriteLine(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(output.ToArray())));
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            for (int offset = 0; offset < total; offset += 16 * 1024)
            {
                client.Write(data.AsSpan(offset, 16 * 1024));
                await client.DrainAsync();
                Assert.That(client.WriteBufferSize, Is.LessThanOrEqualTo(ITransport.DefaultHighWaterMark + 16 * 1024));
            }
            client.ShutdownWrite();
            var digest = await client.ReadLineAsync();
            await client.CloseAsync();
            server.Close();
            return digest;
        });

        Assert.That(received, Is.EqualTo(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data))));
        Assert.That(maxBufferedByServer, Is.LessThanOrEqualTo(2 * ConnectionOptions.DefaultLimit + 64 * 1024),
            "read backpressure bounds what the server buffers");
    }

    [Test]
    public void SeveralTasksCanDrainTheSameConnection()
    {
        var done = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async c =>
            {
                await Loop.Delay(TimeSpan.FromMilliseconds(50)); // not reading: the client's buffer fills
                var sink = new byte[64 * 1024];
                while (await c.ReadAsync(sink) > 0) { }
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.Write(new byte[8 * 1024 * 1024]); // far above the high-water mark
            async LoopTask<int> Drainer(int id)
            {
                await client.DrainAsync();
                return id;
            }
            var drained = await Loop.WhenAll(Drainer(1), Drainer(2), Drainer(3));
            await client.CloseAsync();
            server.Close();
            return drained;
        });

        Assert.That(done, Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void AHandlerThatThrowsClosesOnlyItsConnection()
    {
        var replies = Run(async () =>
        {
            var server = await Loop.StartServerAsync(async c =>
            {
                var line = await c.ReadLineAsync();
                if (line == "boom") throw new InvalidOperationException("handler bug");
                c.WriteLine($"ok {line}");
            });
            var bad = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            var good = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            bad.WriteLine("boom");
            var badReply = await bad.ReadLineAsync();
            good.WriteLine("fine");
            var goodReply = await good.ReadLineAsync();
            server.Close();
            return (badReply, goodReply);
        });

        Assert.That(replies.badReply, Is.Null, "the failing handler's connection was closed");
        Assert.That(replies.goodReply, Is.EqualTo("ok fine"));
        var report = Reported.Single(); // the loop's exception handler, as for protocol code: one channel
        Assert.That(report.Exception, Is.TypeOf<InvalidOperationException>());
        Assert.That(report.Source, Does.Contain("127.0.0.1"));
    }

    [Test]
    public void AHandlerEndedByItsPeersReset_IsNormal_LoggedAtDebugAndNotReported()
    {
        Run(async () =>
        {
            var handlerEnded = Loop.CreateFuture<bool>();
            var server = await Loop.StartServerAsync(async c =>
            {
                try
                {
                    while (await c.ReadLineAsync() is { } line) c.WriteLine(line); // no catch: a reset ends it
                }
                finally
                {
                    handlerEnded.TrySetResult(true);
                }
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.WriteLine("hello");
            await client.ReadLineAsync();
            client.Abort(); // RST
            await handlerEnded.Task;
            server.Close();
            await server.WaitClosedAsync();
        });

        Assert.That(Reported, Is.Empty);
        var logs = Logs.Entries;
        Assert.That(logs.Where(e => e.Level > Microsoft.Extensions.Logging.LogLevel.Debug), Is.Empty);
        Assert.That(logs.Any(e => e.Message.Contains("connection was lost")), Is.True, "the handler's end is logged at Debug");
    }

    [Test]
    public void ReadAheadStopsAtExactlyTwiceTheLimit_NotOneLargeReceiveBeyondIt()
    {
        var buffered = Run(async () =>
        {
            var readerReady = Loop.CreateFuture<Connection>();
            var server = await Loop.StartServerAsync(async c =>
            {
                readerReady.TrySetResult(c);
                await c.WaitClosedAsync();
            }, connectionOptions: new ConnectionOptions { Limit = 1024 });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            client.Write(new byte[200 * 1024]);
            var reader = await readerReady.Task;
            while (reader.BufferedCount < 2048) await Loop.Yield(); // one receive of up to 64 KiB used to overshoot here
            int count = reader.BufferedCount;
            client.Abort();
            server.Close();
            return count;
        });

        Assert.That(buffered, Is.EqualTo(2048));
    }

    [Test]
    public void AbruptResetMidRead_TheServerLearnsAndOthersAreUnaffected()
    {
        var outcome = Run(async () =>
        {
            var errors = new List<string>();
            var server = await Loop.StartServerAsync(async c =>
            {
                try
                {
                    while (await c.ReadLineAsync() is { } line) c.WriteLine(line);
                    errors.Add("clean end");
                }
                catch (IOException e)
                {
                    errors.Add(e.InnerException is SocketException s ? s.SocketErrorCode.ToString() : e.Message);
                }
            });
            var victim = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            var other = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            victim.WriteLine("partial");
            await victim.ReadLineAsync();
            victim.Abort(); // RST
            await Loop.Delay(TimeSpan.FromMilliseconds(20));
            other.WriteLine("still here");
            var echo = await other.ReadLineAsync();
            await other.CloseAsync();
            server.Close();
            await server.WaitClosedAsync();
            return (errors, echo);
        });

        Assert.That(outcome.echo, Is.EqualTo("still here"));
        Assert.That(outcome.errors, Has.Some.EqualTo("ConnectionReset").Or.Some.EqualTo("clean end"));
    }

    [Test]
    public void ConnectRefused_IsASocketException()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var error = Assert.Throws<SocketException>(() => Loop.RunUntilComplete(Loop.OpenConnectionAsync(new IPEndPoint(IPAddress.Loopback, port))));
        Assert.That(error!.SocketErrorCode, Is.EqualTo(SocketError.ConnectionRefused));
    }

    [Test]
    public void CloseAndWaitClosed_WaitForLiveHandlersToFinish()
    {
        var order = Run(async () =>
        {
            var log = new List<string>();
            var server = await Loop.StartServerAsync(async c =>
            {
                await c.ReadLineAsync();
                log.Add("handler done");
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            await Loop.Yield();
            server.Close();
            var closed = server.WaitClosedAsync();
            await Loop.Delay(TimeSpan.FromMilliseconds(10));
            log.Add(closed.IsCompleted ? "closed too early" : "still waiting for the handler");
            Assert.That(server.ConnectionCount, Is.EqualTo(1));
            client.WriteLine("bye");
            await closed;
            log.Add("wait closed");
            await client.CloseAsync();
            return log;
        });

        Assert.That(order, Is.EqualTo(new[] { "still waiting for the handler", "handler done", "wait closed" }));
    }

    [Test]
    public void WritesToADeadPeerAreDroppedAndDrainReportsTheLoss()
    {
        var drainError = Run(async () =>
        {
            var server = await Loop.StartServerAsync(c =>
            {
                c.Abort();
                return LoopTask.CompletedTask;
            });
            var client = await Loop.OpenConnectionAsync(server.LocalEndPoint);
            Exception? error = null;
            for (int i = 0; i < 50 && error is null; i++)
            {
                try
                {
                    client.Write(new byte[64 * 1024]);
                    await client.DrainAsync();
                    await Loop.Delay(TimeSpan.FromMilliseconds(5));
                }
                catch (IOException e)
                {
                    error = e;
                }
            }
            server.Close();
            return error;
        });

        Assert.That(drainError, Is.Not.Null, "the loss surfaced as an IOException from DrainAsync, not a crash");
    }
}
