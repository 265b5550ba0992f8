using System.Text;
using EventLoop.Net;
using EventLoop.Tests.Core;

namespace EventLoop.Tests.Net;

/// <summary>Connection reads over the memory pair (deterministic): the allocation-free forms, the bounds, and their errors.</summary>
public class ConnectionReadTests : LoopTestBase
{
    private (Connection Writer, Connection Reader) Pair(int limit = ConnectionOptions.DefaultLimit, int chunkSize = 64 * 1024) =>
        MemoryTransport.CreateConnectionPair(Loop, new ConnectionOptions { Limit = limit }, new MemoryPipeOptions { ChunkSize = chunkSize });

    private T Run<T>(Func<LoopTask<T>> test) => Loop.RunUntilComplete(() => Loop.WaitForAsync(test(), TimeSpan.FromSeconds(30)));

    [Test]
    public void AMemoryPairIsUsableAtOnce()
    {
        var (a, b) = MemoryTransport.CreateConnectionPair(Loop);

        a.WriteLine("written before the loop ever ran");

        Assert.That(Loop.RunUntilComplete(b.ReadLineAsync()), Is.EqualTo("written before the loop ever ran"));
    }

    [Test]
    public void ReadLineIntoABuffer_GivesEachLineWithItsTerminator_ThenZeroAtTheEnd()
    {
        var (writer, reader) = Pair(chunkSize: 3); // lines arrive in pieces
        writer.Write("one\r\ntwo\n\nlast"u8);
        writer.ShutdownWrite();

        var lines = Run(async () =>
        {
            var buffer = new byte[64];
            var got = new List<string>();
            int n;
            while ((n = await reader.ReadLineAsync(buffer)) > 0) got.Add(Encoding.ASCII.GetString(buffer, 0, n));
            return got;
        });

        Assert.That(lines, Is.EqualTo(new[] { "one\r\n", "two\n", "\n", "last" }));
    }

    [Test]
    public void TheLimitIsOnTheLine_NotItsTerminator_WithLfOrCrLf()
    {
        var (writer, reader) = Pair(limit: 8);
        writer.Write("12345678\r\n12345678\n123456789\r\nafter\n"u8);

        var outcome = Run(async () =>
        {
            var got = new List<string>();
            for (int i = 0; i < 4; i++)
            {
                try { got.Add(await reader.ReadLineAsync() ?? "(end)"); }
                catch (LimitOverrunException) { got.Add("too long"); }
            }
            return got;
        });

        Assert.That(outcome, Is.EqualTo(new[] { "12345678", "12345678", "too long", "after" }));
    }

    [Test]
    public void ALineThatDoesNotFitTheCallersBuffer_IsDiscardedWhole_AndTheNextOneReadsFine()
    {
        var (writer, reader) = Pair(chunkSize: 5);
        writer.Write("short\nthis one is far too long for the buffer\nnext\n"u8);

        var outcome = Run(async () =>
        {
            var buffer = new byte[10];
            var got = new List<string>();
            for (int i = 0; i < 3; i++)
            {
                try { got.Add(Encoding.ASCII.GetString(buffer, 0, await reader.ReadLineAsync(buffer))); }
                catch (LimitOverrunException) { got.Add("too long"); }
            }
            return got;
        });

        Assert.That(outcome, Is.EqualTo(new[] { "short\n", "too long", "next\n" }));
    }

    [Test]
    public void ReadUntilIntoABuffer_IncludesTheDelimiter_AndAnEndBeforeItIsAnIncompleteRead()
    {
        var (writer, reader) = Pair(chunkSize: 2);
        writer.Write("a||bc||tail"u8);
        writer.ShutdownWrite();
        var delimiter = "||"u8.ToArray();

        var (pieces, error) = Run(async () =>
        {
            var buffer = new byte[16];
            var got = new List<string>();
            try
            {
                while (true) got.Add(Encoding.ASCII.GetString(buffer, 0, await reader.ReadUntilAsync(delimiter, buffer)));
            }
            catch (IncompleteReadException e)
            {
                return (got, e);
            }
        });

        Assert.That(pieces, Is.EqualTo(new[] { "a||", "bc||" }));
        Assert.That(error.Partial, Is.EqualTo("tail"u8.ToArray()));
    }

    [Test]
    public void ReadExactlyIntoABuffer_FillsItAcrossChunks_BeyondTheLimit()
    {
        var (writer, reader) = Pair(limit: 16, chunkSize: 7);
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        writer.Write(data);

        var received = Run(async () =>
        {
            var buffer = new byte[1000];
            await reader.ReadExactlyAsync(buffer);
            return buffer;
        });

        Assert.That(received, Is.EqualTo(data));
        Assert.That(reader.BufferedCount, Is.Zero);
    }

    [Test]
    public void CancellingAnExactRead_PutsBackWhatItHadTaken()
    {
        var (writer, reader) = Pair(chunkSize: 4);
        writer.Write("0123456789"u8);
        var read = ReadTwenty(reader);
        Loop.RunUntilIdle(); // it took the ten bytes there are, and waits for ten more

        read.Cancel();
        Assert.Throws<OperationCanceledException>(() => Loop.RunUntilComplete(read));
        writer.Write("abcdefghij"u8);

        Assert.That(Encoding.ASCII.GetString(Loop.RunUntilComplete(reader.ReadExactlyAsync(20))), Is.EqualTo("0123456789abcdefghij"));

        static async LoopTask ReadTwenty(Connection c) => await c.ReadExactlyAsync(new byte[20]);
    }

    [Test]
    public void AReadAsyncValueTaskAwaitedTwice_Throws_InsteadOfGivingTheCountAgain()
    {
        var (writer, reader) = Pair();
        writer.Write("data"u8);
        Loop.RunUntilIdle();

        var read = reader.ReadAsync(new byte[16]);
        Assert.That(read.IsCompleted, Is.True);
        Assert.That(read.Result, Is.EqualTo(4));

        Assert.Throws<InvalidOperationException>(() => _ = read.Result);
        Assert.Throws<InvalidOperationException>(() => read.GetAwaiter().GetResult());
    }

    [Test]
    public void ReadToEnd_IsBoundedByTheLimit_UnlessAskedForMore()
    {
        var (writer, reader) = Pair(limit: 100);
        writer.Write(new byte[101]);
        writer.ShutdownWrite();
        Assert.Throws<LimitOverrunException>(() => Run(() => reader.ReadToEndAsync()));

        var (writer2, reader2) = Pair(limit: 100);
        writer2.Write(new byte[5000]);
        writer2.ShutdownWrite();
        Assert.That(Run(() => reader2.ReadToEndAsync(maxBytes: 5000)), Has.Length.EqualTo(5000));
    }

    [Test]
    public void AConnectionNeverHoldsMoreThanTwiceItsLimitUnread()
    {
        var (writer, reader) = Pair(limit: 1000); // the pipe delivers up to 64 KiB a read
        writer.Write(new byte[100_000]);
        Loop.RunUntilIdle();

        Assert.That(reader.BufferedCount, Is.EqualTo(2000), "exactly 2 x Limit: each read asks for no more than what is left");

        Loop.RunUntilComplete(reader.ReadExactlyAsync(1000)); // down to the Limit: reading resumes
        Loop.RunUntilIdle();
        Assert.That(reader.BufferedCount, Is.EqualTo(2000));
    }

    [Test]
    public void AZeroByteWaitAfterAnOverlongLine_DoesNotStopTheRestOfThatLineFromBeingSkipped()
    {
        var (writer, reader) = Pair(limit: 8);
        writer.Write("0123456789ABCDEF"u8); // overlong, its end not here yet
        Assert.Throws<LimitOverrunException>(() => Loop.RunUntilComplete(reader.ReadLineAsync()));

        var line = Run(async () =>
        {
            var waiting = reader.ReadAsync(Memory<byte>.Empty); // the idle idiom: wait for data, consume nothing
            writer.Write("rest of it\nnext\n"u8);
            await waiting;
            return await reader.ReadLineAsync();
        });

        Assert.That(line, Is.EqualTo("next"));
    }
}
