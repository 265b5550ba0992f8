using EventLoop.Hosting;
using EventLoop.Tests.Core;
using Microsoft.Extensions.Logging;

namespace EventLoop.Tests.Hosting;

/// <summary>
/// A loop on a thread of its own, driven from other threads. Real threads by nature: every wait
/// is bounded (<see cref="Patience"/>) and none is used as synchronization.
/// </summary>
public class LoopThreadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private CapturingLoggerFactory _logs = null!;

    [SetUp]
    public void FreshLogs() => _logs = new CapturingLoggerFactory();

    private LoopOptions Options => new() { LoggerFactory = _logs };

    [TearDown]
    public void NoErrorWasReported() =>
        Assert.That(_logs.Entries.Where(e => e.Level >= LogLevel.Error), Is.Empty, "nothing reached the loop's exception handler");

    /// <summary>A main that waits until cancelled, recording that its finally ran on the loop.</summary>
    private sealed class WaitingMain
    {
        public Loop? Loop;
        public int ThreadId;
        public bool FinallyRanOnTheLoop;

        public async LoopTask RunAsync(Loop loop)
        {
            Loop = loop;
            ThreadId = Environment.CurrentManagedThreadId;
            try
            {
                await loop.Delay(Timeout.InfiniteTimeSpan);
            }
            finally
            {
                await loop.Yield(); // unwinding may await: the loop still runs it
                FinallyRanOnTheLoop = Loop.Current == loop && Environment.CurrentManagedThreadId == ThreadId;
            }
        }
    }

    [Test]
    public void InvokeAsync_FromOtherThreads_RunsEveryCallOnTheLoopThread_OneAtATime()
    {
        var main = new WaitingMain();
        using var thread = new LoopThread(main.RunAsync, Options, "test loop");
        thread.Start();

        // Unsynchronized increments from four threads: exact only if every call runs on the loop's one thread.
        int count = 0;
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 250; i++) await thread.InvokeAsync(() => count++);
        })).ToArray();
        Assert.That(Task.WaitAll(callers, Patience), Is.True);
        Assert.That(count, Is.EqualTo(1000));

        var (threadId, current) = thread.InvokeAsync(() => LoopTask.FromResult((Environment.CurrentManagedThreadId, Loop.Current))).Result;
        Assert.That(threadId, Is.EqualTo(main.ThreadId).And.Not.EqualTo(Environment.CurrentManagedThreadId));
        Assert.That(current, Is.SameAs(main.Loop));
    }

    [Test]
    public void InvokeAsync_OfLoopTaskWork_HandsBackItsResultOnceItHasAwaitedOnTheLoop()
    {
        using var thread = new LoopThread(new WaitingMain().RunAsync, Options);
        thread.Start();

        var result = thread.InvokeAsync(async () =>
        {
            await Loop.Current!.Delay(TimeSpan.FromMilliseconds(1));
            await Task.Yield(); // an ordinary Task await resumes on the loop as well
            return Loop.Current is not null ? "on the loop" : "off the loop";
        });

        Assert.That(result.Wait(Patience), Is.True);
        Assert.That(result.Result, Is.EqualTo("on the loop"));
    }

    [Test]
    public void WorkThatThrows_FaultsOnlyItsCallersTask_AndTheLoopKeepsServing()
    {
        using var thread = new LoopThread(new WaitingMain().RunAsync, Options);
        thread.Start();

        var sync = thread.InvokeAsync(() => throw new FormatException("bad input"));
        var async = thread.InvokeAsync<int>(async () =>
        {
            await Loop.Current!.Yield();
            throw new ArgumentException("bad argument");
        });

        Assert.That(() => sync.Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.TypeOf<FormatException>());
        Assert.That(() => async.Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.TypeOf<ArgumentException>());
        Assert.That(thread.InvokeAsync(() => LoopTask.FromResult(42)).Result, Is.EqualTo(42));
        Assert.That(thread.Completion.IsCompleted, Is.False);
        // TearDown: neither failure went to the loop's exception handler — they belong to the caller.
    }

    [Test]
    public void StopAsync_CancelsMainOnTheLoop_AndReturnsOnceItHasUnwound()
    {
        var main = new WaitingMain();
        using var thread = new LoopThread(main.RunAsync, Options);
        thread.Start();
        Assert.That(thread.InvokeAsync(() => { }).Wait(Patience), Is.True); // main is waiting

        Assert.That(thread.StopAsync().Wait(Patience), Is.True);

        Assert.That(main.FinallyRanOnTheLoop, Is.True);
        Assert.That(thread.Completion.IsCompletedSuccessfully, Is.True, "a requested stop is a clean end");
    }

    [Test]
    public void StopWhileTheLoopIsBusy_WaitsForItUnlessTheCallerGivesUp_AndTheLoopStillUnwinds()
    {
        var main = new WaitingMain();
        using var thread = new LoopThread(main.RunAsync, Options);
        thread.Start();
        using var busy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = thread.InvokeAsync(() =>
        {
            busy.Set();
            release.Wait(); // the loop thread is stuck in a callback: it cannot cancel main yet
        });
        Assert.That(busy.Wait(Patience), Is.True);

        using var shutdownTimeout = new CancellationTokenSource();
        var stop = thread.StopAsync(shutdownTimeout.Token);
        shutdownTimeout.Cancel();

        Assert.That(() => stop.Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>(),
            "the caller's token bounds the wait");
        Assert.That(thread.Completion.IsCompleted, Is.False);

        release.Set();
        Assert.That(thread.Completion.Wait(Patience), Is.True, "the stop asked for is still carried out");
        Assert.That(main.FinallyRanOnTheLoop, Is.True);
        Assert.That(blocking.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void MainThatFails_FaultsCompletion_AndStopAsyncRethrowsIt()
    {
        using var thread = new LoopThread(async loop =>
        {
            await loop.Yield();
            throw new InvalidDataException("main broke");
        }, Options);
        thread.Start();

        Assert.That(() => thread.Completion.Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.TypeOf<InvalidDataException>());
        Assert.That(() => thread.StopAsync().Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.TypeOf<InvalidDataException>());
    }

    [Test]
    public void WorkStillRunningWhenTheLoopStops_IsCancelled_AndWorkHandedOverAfterwardsIsRefused()
    {
        using var thread = new LoopThread(new WaitingMain().RunAsync, Options);
        thread.Start();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = thread.InvokeAsync(async () =>
        {
            started.SetResult();
            await Loop.Current!.Delay(Timeout.InfiniteTimeSpan);
        });
        Assert.That(started.Task.Wait(Patience), Is.True);

        Assert.That(thread.StopAsync().Wait(Patience), Is.True);

        Assert.That(() => inFlight.Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.InstanceOf<OperationCanceledException>());
        Assert.That(inFlight.IsCanceled, Is.True, "not left hanging, not reported as a failure");
        var late = thread.InvokeAsync(() => { });
        Assert.That(() => late.Wait(Patience), Throws.InstanceOf<AggregateException>().With.InnerException.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void AStopRequestedBeforeTheThreadRuns_StillLetsMainStartAndUnwind()
    {
        var main = new WaitingMain();
        var thread = new LoopThread(main.RunAsync, Options);
        Assert.That(() => thread.InvokeAsync(() => { }), Throws.InvalidOperationException.With.Message.Contains("Start"));
        Assert.That(thread.StopAsync().IsCompletedSuccessfully, Is.True, "nothing to stop before Start");

        thread.Start();
        thread.Dispose(); // asks, does not wait

        Assert.That(thread.Completion.Wait(Patience), Is.True);
        Assert.That(main.FinallyRanOnTheLoop, Is.True);
        Assert.That(() => thread.Start(), Throws.InvalidOperationException);
    }

    [Test]
    public async Task DisposeAsync_WaitsForTheLoopToFinish()
    {
        var main = new WaitingMain();
        var thread = new LoopThread(main.RunAsync, Options);
        thread.Start();
        await thread.InvokeAsync(() => { }).WaitAsync(Patience);

        await thread.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.That(thread.Completion.IsCompletedSuccessfully, Is.True);
        Assert.That(main.FinallyRanOnTheLoop, Is.True);
    }
}
