using System.Security.Cryptography;
using EventLoop.Net;

namespace EventLoop.Tests.Net;

[Platform("Linux")]
public class ProcessTests : NetTestBase
{
    [Test]
    public void TenMiBThroughCat_WithBackpressure_NothingLost()
    {
        const int total = 10 * 1024 * 1024;
        var data = RandomBytes(total, seed: 7);
        var (digest, maxBuffered, exitCode) = Run(async () =>
        {
            using var cat = await Loop.StartProcessAsync("cat");
            async LoopTask<(byte[], int)> ReadAll()
            {
                // A slow-ish reader: the child must be held back, not our memory.
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var chunk = new byte[8192];
                int n, most = 0;
                while ((n = await cat.Stdout!.ReadAsync(chunk)) > 0)
                {
                    hash.AppendData(chunk, 0, n);
                    most = Math.Max(most, cat.Stdout.BufferedCount);
                }
                return (hash.GetHashAndReset(), most);
            }
            var reading = ReadAll();
            for (int offset = 0; offset < total; offset += 64 * 1024)
            {
                cat.Stdin!.Write(data.AsSpan(offset, 64 * 1024));
                await cat.Stdin.DrainAsync();
                Assert.That(cat.Stdin.WriteBufferSize, Is.LessThanOrEqualTo(ITransport.DefaultHighWaterMark + 64 * 1024));
            }
            await cat.Stdin!.CloseAsync();
            var (hash, most) = await reading;
            return (hash, most, await cat.WaitForExitAsync());
        });

        Assert.That(digest, Is.EqualTo(SHA256.HashData(data)));
        Assert.That(exitCode, Is.Zero);
        Assert.That(maxBuffered, Is.LessThanOrEqualTo(2 * ConnectionOptions.DefaultLimit + 64 * 1024), "the output side buffered a bounded amount");
    }

    [Test]
    public void StderrIsSeparateFromStdout_AndTheExitCodeArrives()
    {
        var (output, errors, code) = Run(async () =>
        {
            using var child = await Loop.StartProcessAsync("sh", ["-c", "echo out1; echo err1 >&2; echo out2; exit 3"]);
            var output = await child.Stdout!.ReadToEndAsync();
            var errors = await child.Stderr!.ReadToEndAsync();
            return (output, errors, await child.WaitForExitAsync());
        });

        Assert.That(output, Is.EqualTo("out1\nout2\n"));
        Assert.That(errors, Is.EqualTo("err1\n"));
        Assert.That(code, Is.EqualTo(3));
    }

    [Test]
    public void WcCountsWhatWeFeedIt()
    {
        var counts = Run(async () =>
        {
            using var wc = await Loop.StartProcessAsync("wc", ["-l"]);
            for (int i = 0; i < 1000; i++) wc.Stdin!.WriteLine($"line {i}");
            await wc.Stdin!.CloseAsync();
            var text = await wc.Stdout!.ReadLineAsync();
            await wc.WaitForExitAsync();
            return text!.Trim();
        });

        Assert.That(counts, Is.EqualTo("1000"));
    }

    [Test]
    public void AMissingProgramFailsTheAwaitClearly()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Loop.RunUntilComplete(Loop.StartProcessAsync("no-such-program-eventloop")));

        Assert.That(error!.Message, Does.Contain("no-such-program-eventloop"));
    }

    [Test]
    public void AMissingPathFailsClearly_WithoutClaimingThePathWasSearched()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Loop.RunUntilComplete(Loop.StartProcessAsync("/no/such/dir/eventloop-program")));

        Assert.That(error!.Message, Does.Contain("/no/such/dir/eventloop-program").And.Contain("no such file").And.Not.Contain("PATH"));
    }

    [Test]
    public void DisposedWhileTheChildRuns_PendingAndLaterWaitsFailClearly_InsteadOfHanging()
    {
        var (pending, later) = Run(async () =>
        {
            var child = await Loop.StartProcessAsync("cat"); // runs until its stdin closes
            var waiting = child.WaitForExitAsync();
            child.Dispose();
            Exception? pendingError = null, laterError = null;
            try { await waiting; } catch (Exception e) { pendingError = e; }
            try { await child.WaitForExitAsync(); } catch (Exception e) { laterError = e; }
            return (pendingError, laterError);
        });

        Assert.That(pending, Is.TypeOf<ObjectDisposedException>());
        Assert.That(later, Is.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void ChildrenThatExit_LeaveNoPipeThreadsOrDescriptorsBehind_EvenWhenNeverDisposed()
    {
        const int children = 100;
        int threadsBefore = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        int descriptorsBefore = Directory.GetFiles("/proc/self/fd").Length;

        Run(async () =>
        {
            for (int i = 0; i < children; i++)
            {
                var child = await Loop.StartProcessAsync("true"); // never disposed
                await child.Stdout!.ReadToEndAsync();
                await child.Stderr!.ReadToEndAsync();
                await child.WaitForExitAsync();
            }
            return 0;
        });
        Loop.RunUntilIdle();

        // Pipe threads end on their own thread once their pipe closes: give them (real) time, bounded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        int threads, descriptors;
        do
        {
            threads = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
            descriptors = Directory.GetFiles("/proc/self/fd").Length;
        }
        while ((threads - threadsBefore > 20 || descriptors - descriptorsBefore > 20) && DateTime.UtcNow < deadline && Wait());

        Assert.That(threads - threadsBefore, Is.LessThanOrEqualTo(20), $"{children} children that exited left their pipe threads");
        Assert.That(descriptors - descriptorsBefore, Is.LessThanOrEqualTo(20), $"{children} children that exited left their pipes open");

        static bool Wait()
        {
            Thread.Sleep(50); // polling an OS count, not synchronizing with the loop
            return true;
        }
    }

    [Test]
    public void AChildThatExitsWhileWeWriteGivesABrokenPipeOnDrain_NotACrash()
    {
        var error = Run(async () =>
        {
            using var head = await Loop.StartProcessAsync("head", ["-c", "10"]);
            head.Stdin!.Write(new byte[10]); // head takes these and exits
            await head.WaitForExitAsync();
            
            Exception? caught = null;
            for (int i = 0; i < 100 && caught is null; i++)
            {
                try
                {
                    head.Stdin!.Write(new byte[64 * 1024]);
                    await head.Stdin.DrainAsync();
                    await Loop.Yield();
                }
                catch (IOException e)
                {
                    caught = e;
                }
            }
            return caught;
        });

        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("lost").Or.Contain("broken pipe"));
    }

    [Test]
    public void AChildKilledMidStreamEndsItsOutputAndReportsTheSignal()
    {
        var (code, rest) = Run(async () =>
        {
            using var cat = await Loop.StartProcessAsync("cat");
            cat.Stdin!.WriteLine("before the kill");
            var first = await cat.Stdout!.ReadLineAsync();
            Assert.That(first, Is.EqualTo("before the kill"));
            cat.Kill();
            int exit = await cat.WaitForExitAsync();
            var rest = await cat.Stdout.ReadToEndAsync();
            return (exit, rest);
        });

        Assert.That(code, Is.Not.Zero, "killed, not a clean exit");
        Assert.That(rest, Is.Empty);
    }

    [Test]
    public void WorkingDirectoryAndEnvironmentAreApplied()
    {
        var dir = Directory.CreateTempSubdirectory("eventloop-proc-").FullName;
        try
        {
            var printed = Run(async () =>
            {
                var options = new ProcessOptions { WorkingDirectory = dir, RedirectStandardInput = false };
                options.Environment["EVENTLOOP_TEST"] = "hello";
                using var child = await Loop.StartProcessAsync("sh", ["-c", "pwd; echo $EVENTLOOP_TEST"], options);
                Assert.That(child.Stdin, Is.Null);
                var text = await child.Stdout!.ReadToEndAsync();
                await child.WaitForExitAsync();
                return text;
            });

            Assert.That(printed, Is.EqualTo($"{new DirectoryInfo(dir).FullName}\nhello\n").Or.EqualTo($"{Path.GetFullPath(dir)}\nhello\n"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

