namespace EventLoop.Tests.Core;

public class LifecycleTests : LoopTestBase
{
    [Test]
    public void StopFromACallback_EndsRunForeverAtTheEndOfThatIteration()
    {
        var ran = new List<string>();
        Loop.CallSoon(() =>
        {
            ran.Add("stopper");
            Loop.Stop();
            Loop.CallSoon(() => ran.Add("next iteration"));
        });
        Loop.CallSoon(() => ran.Add("same iteration"));

        Loop.RunForever();

        Assert.That(ran, Is.EqualTo(new[] { "stopper", "same iteration" }));
        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(ran, Has.Member("next iteration"), "nothing queued is lost by stopping");
    }

    [Test]
    public void StopBeforeRunning_MakesTheNextRunDoOneIteration()
    {
        int runs = 0;
        void Again()
        {
            runs++;
            Loop.CallSoon(Again);
        }
        Loop.CallSoon(Again);
        Loop.Stop();

        Loop.RunForever();

        Assert.That(runs, Is.EqualTo(1));
    }

    [Test]
    public void RunUntilComplete_ThrowsWhenTheLoopIsStoppedFirst()
    {
        var never = Loop.CreateFuture<int>();
        Loop.CallLater(TimeSpan.FromSeconds(1), Loop.Stop);

        var error = Assert.Throws<InvalidOperationException>(() => Loop.RunUntilComplete(never.Task));
        Assert.That(error!.Message, Does.Contain("stopped before the task completed"));
    }

    [Test]
    public void RunOnce_WithNothingToDo_WaitsMaxWaitOfLoopTime()
    {
        Loop.RunOnce(TimeSpan.FromSeconds(3));

        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void RunOnce_WithNothingToDo_OnTheSystemClock_ReturnsAfterMaxWait()
    {
        // Real time on purpose: this checks the real select timeout path (rounded up to whole
        // milliseconds). Bounded at 20 ms.
        using var loop = new Loop();
        long start = TimeProvider.System.GetTimestamp();

        loop.RunOnce(TimeSpan.FromMilliseconds(20));

        Assert.That(TimeProvider.System.GetElapsedTime(start), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(19)));
    }

    [Test]
    public void RunUntilIdle_RunsEverythingRunnableNowWithoutMovingTime()
    {
        var ran = new List<string>();
        Loop.CallSoon(() => Loop.CallSoon(() => ran.Add("second generation")));
        Loop.CallLater(TimeSpan.Zero, () => ran.Add("due timer"));
        Loop.CallLater(TimeSpan.FromSeconds(1), () => ran.Add("future timer"));

        Loop.RunUntilIdle();

        Assert.That(ran, Is.EquivalentTo(new[] { "second generation", "due timer" }));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void RunUntilIdle_GivesUpOnCallbacksThatRequeueForever()
    {
        void Forever() => Loop.CallSoon(Forever);
        Loop.CallSoon(Forever);

        Assert.Throws<InvalidOperationException>(() => Loop.RunUntilIdle(maxIterations: 1000));
    }

    [Test]
    public void Run_CancelsLeftoverTasksAndRunsTheirFinallyBlocks_ThenDisposes()
    {
        var cleanedUp = new List<string>();
        async LoopTask Background(string name)
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); }
            finally { cleanedUp.Add(name); }
        }
        async LoopTask Main()
        {
            _ = Loop.Spawn(() => Background("a"));
            _ = Loop.Spawn(() => Background("b"));
            await Loop.Delay(TimeSpan.FromSeconds(1));
        }

        Loop.Run(Main);

        Assert.That(cleanedUp, Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That(Loop.IsDisposed, Is.True);
        Assert.That(Reported, Is.Empty, "cancellation at shutdown is not an error");
    }

    [Test]
    public void Run_WhenMainFails_StillUnwindsTheOthersBeforeRethrowing()
    {
        var cleanedUp = new List<string>();
        async LoopTask Background()
        {
            try { await Loop.Delay(TimeSpan.FromHours(1)); }
            finally { cleanedUp.Add("background"); }
        }
        async LoopTask Main()
        {
            _ = Loop.Spawn(Background);
            await Loop.Yield();
            throw new ApplicationException("main failed");
        }

        Assert.Throws<ApplicationException>(() => Loop.Run(Main));
        Assert.That(cleanedUp, Is.EqualTo(new[] { "background" }));
    }

    [Test]
    public void Run_ReturnsMainsResult()
    {
        async LoopTask<int> Main()
        {
            await Loop.Delay(TimeSpan.FromSeconds(2));
            return 99;
        }

        Assert.That(Loop.Run(Main), Is.EqualTo(99));
    }

    [Test]
    public void ADisposedLoopRefusesEverything()
    {
        Loop.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Loop.CallSoon(() => { }));
        Assert.Throws<ObjectDisposedException>(() => Loop.CallSoonThreadSafe(() => { }));
        Assert.Throws<ObjectDisposedException>(() => Loop.CallLater(TimeSpan.Zero, () => { }));
        Assert.Throws<ObjectDisposedException>(() => Loop.RunOnce(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => Loop.Delay(TimeSpan.Zero));
        Assert.DoesNotThrow(Loop.Dispose, "disposing twice is fine");
    }

    [Test]
    public void ARunningLoopCannotBeDisposedFromItsOwnCallback()
    {
        Exception? error = null;
        Loop.CallSoon(() =>
        {
            try { Loop.Dispose(); }
            catch (Exception e) { error = e; }
        });

        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(error, Is.TypeOf<InvalidOperationException>());
        Assert.That(Loop.IsDisposed, Is.False);
    }

    [Test]
    public void BadArgumentsGetClearErrors()
    {
        Assert.Throws<ArgumentNullException>(() => Loop.CallSoon(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loop.Delay(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loop.RunOnce(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Loop.WaitForAsync(LoopTask.CompletedTask, TimeSpan.FromSeconds(-2)));
        Assert.Throws<ArgumentException>(() => Loop.WhenAny());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Loop(new LoopOptions { BusyPollInterval = 0 }));
    }
}
