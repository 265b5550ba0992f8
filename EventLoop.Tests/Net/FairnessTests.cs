using EventLoop.Net;
using EventLoop.Tests.Core;

namespace EventLoop.Tests.Net;

/// <summary>One client that floods gets its share of the loop, not all of it.</summary>
public class FairnessTests : LoopTestBase
{
    [Test]
    public void WhileOneConnectionFloods_AnotherIsServedWithinAFewIterations_AndTheFloodLosesNothing()
    {
        const int floodLines = 100_000;
        var (floodClient, floodServer) = MemoryTransport.CreateConnectionPair(Loop);
        var (quietClient, quietServer) = MemoryTransport.CreateConnectionPair(Loop);
        int flooded = 0;
        int floodedWhenQuietServed = -1;
        async LoopTask Flooded()
        {
            while (await floodServer.ReadLineAsync() is not null) flooded++;
        }
        async LoopTask Quiet()
        {
            await quietServer.ReadLineAsync();
            floodedWhenQuietServed = flooded;
        }
        var flooding = Loop.Spawn(Flooded);
        var quiet = Loop.Spawn(Quiet);

        floodClient.Write(System.Text.Encoding.ASCII.GetBytes(new string('\n', floodLines))); // 64 KiB of lines per read
        floodClient.ShutdownWrite();
        quietClient.WriteLine("ping");
        int iterations = 0;
        while (!quiet.IsCompleted)
        {
            Loop.RunOnce(TimeSpan.Zero);
            Assert.That(++iterations, Is.LessThan(10), "the quiet connection waited too many iterations");
        }

        Assert.That(floodedWhenQuietServed, Is.LessThanOrEqualTo(2 * Connection.SyncReadBudget),
            "the flooding handler yielded after its budget of reads instead of draining its whole buffer first");
        Loop.RunUntilComplete(flooding);
        Assert.That(flooded, Is.EqualTo(floodLines));
    }

    [Test]
    public void AHandlerReadingBufferedLines_YieldsOnceEveryBudget_NotOnEveryRead()
    {
        var (client, server) = MemoryTransport.CreateConnectionPair(Loop);
        client.Write(System.Text.Encoding.ASCII.GetBytes(new string('\n', 1000)));
        client.ShutdownWrite();
        int lines = 0;
        async LoopTask Read()
        {
            while (await server.ReadLineAsync() is not null) lines++;
        }
        var reading = Loop.Spawn(Read);

        int iterations = 0;
        while (!reading.IsCompleted)
        {
            Loop.RunOnce(TimeSpan.Zero);
            iterations++;
        }

        Assert.That(lines, Is.EqualTo(1000));
        Assert.That(iterations, Is.LessThanOrEqualTo(1000 / Connection.SyncReadBudget * 2 + 10), "a turn every budget of reads, not one per read");
    }
}
