namespace EventLoop.Tests.Core;

public class LoopTaskTests : LoopTestBase
{
    private async LoopTask<int> AddLater(int a, int b)
    {
        await Loop.Yield();
        return a + b;
    }

    private async LoopTask FailLater(string message)
    {
        await Loop.Yield();
        throw new InvalidOperationException(message);
    }

    [Test]
    public void AStraightLineAsyncMethodRunsToItsResult()
    {
        async LoopTask<string> Handler()
        {
            int sum = await AddLater(2, 3);
            await Loop.Delay(TimeSpan.FromSeconds(30));
            return $"sum={sum}";
        }

        Assert.That(Loop.RunUntilComplete(Handler()), Is.EqualTo("sum=5"));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void ExceptionsPropagateThroughAwaitsWithTheirType()
    {
        async LoopTask Outer() => await FailLater("boom");

        var task = Outer();
        var error = Assert.Throws<InvalidOperationException>(() => Loop.RunUntilComplete(task));

        Assert.That(error!.Message, Is.EqualTo("boom"));
        Assert.That(task.Status, Is.EqualTo(LoopTaskStatus.Faulted));
        Assert.That(task.Exception, Is.SameAs(error));
    }

    [Test]
    public void AwaitingTheSameTaskTwiceAndAfterCompletionGivesTheSameResult()
    {
        async LoopTask Work() => await Loop.Yield();

        async LoopTask<int> Awaiter(LoopTask task)
        {
            await task;
            await task; // again, after completion
            return 1;
        }

        var shared = Work();
        var first = Awaiter(shared);
        var second = Awaiter(shared);
        Loop.RunUntilComplete(Loop.WhenAll(first, second));

        Assert.That(first.Result + second.Result, Is.EqualTo(2));
        Assert.That(shared.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion), "status is readable after the awaits");
        Assert.That(shared.IsCompleted, Is.True);
        Loop.RunUntilComplete(shared); // and once more from outside
    }

    [Test]
    public void AStaleCopyOfAPooledTaskStillReportsSuccessAfterItsStorageIsReused()
    {
        async LoopTask Work() => await Loop.Yield();

        var old = Work();
        Loop.RunUntilComplete(old);
        for (int i = 0; i < 10; i++) Loop.RunUntilComplete(Work()); // reuses the pooled box

        Assert.That(old.Status, Is.EqualTo(LoopTaskStatus.RanToCompletion));
        Assert.DoesNotThrow(() => Loop.RunUntilComplete(old));
    }

    [Test]
    public void AFailedTaskGivesTheSameExceptionToEveryAwaiter()
    {
        var failing = FailLater("once");
        async LoopTask<string> Catch()
        {
            try { await failing; return "no"; }
            catch (InvalidOperationException e) { return e.Message; }
        }

        var a = Catch();
        var b = Catch();
        Loop.RunUntilComplete(Loop.WhenAll(a, b));

        Assert.That(a.Result, Is.EqualTo("once"));
        Assert.That(b.Result, Is.EqualTo("once"));
    }

    [Test]
    public void AHundredThousandDeepCompletionChainDoesNotOverflowTheStack()
    {
        const int depth = 100_000;
        var bottom = Loop.CreateFuture<int>();

        async LoopTask<int> Link(LoopTask<int> inner) => await inner + 1;

        // Each link awaits the one below it; all of them are suspended when the bottom completes.
        var top = bottom.Task;
        for (int i = 0; i < depth; i++) top = Link(top);

        Loop.CallSoon(() => bottom.SetResult(0));
        Assert.That(Loop.RunUntilComplete(top), Is.EqualTo(depth));
    }

    [Test]
    public void AHundredThousandAlreadyCompletedAwaitsInARowDoNotOverflow()
    {
        async LoopTask<int> Immediate(int i) => i;

        async LoopTask<long> Sum()
        {
            long total = 0;
            for (int i = 0; i < 100_000; i++) total += await Immediate(i);
            return total;
        }

        Assert.That(Loop.RunUntilComplete(Sum()), Is.EqualTo(4_999_950_000L));
    }

    [Test]
    public void ContinuationsAreQueuedNeverRunInsideTheCodeThatCompletedTheTask()
    {
        var future = Loop.CreateFuture<int>();
        var log = new List<string>();
        async LoopTask Waiter()
        {
            await future.Task;
            log.Add("resumed");
        }
        var waiter = Waiter();

        Loop.CallSoon(() =>
        {
            future.SetResult(1);
            log.Add("after SetResult");
        });
        Loop.RunOnce(TimeSpan.Zero);

        Assert.That(log, Is.EqualTo(new[] { "after SetResult" }));
        Loop.RunOnce(TimeSpan.Zero);
        Assert.That(log, Is.EqualTo(new[] { "after SetResult", "resumed" }));
        Assert.That(waiter.IsCompleted, Is.True);
    }

    [Test]
    public void FutureCompletedTwiceThrows()
    {
        var future = Loop.CreateFuture<string>();
        future.SetResult("a");

        Assert.Throws<InvalidOperationException>(() => future.SetResult("b"));
        Assert.Throws<InvalidOperationException>(() => future.SetException(new Exception()));
        Assert.That(future.TrySetResult("c"), Is.False);
        Assert.That(future.Cancel(), Is.False);
        Assert.That(Loop.RunUntilComplete(future.Task), Is.EqualTo("a"));
    }

    [Test]
    public void FutureException_ReachesTheAwaiter()
    {
        var future = Loop.CreateFuture<int>();
        Loop.CallLater(TimeSpan.FromSeconds(1), () => future.SetException(new FormatException("bad")));

        Assert.Throws<FormatException>(() => Loop.RunUntilComplete(future.Task));
    }

    [Test]
    public void WhenAll_CollectsResultsInArgumentOrder()
    {
        async LoopTask<int> After(int seconds)
        {
            await Loop.Delay(TimeSpan.FromSeconds(seconds));
            return seconds;
        }

        var results = Loop.RunUntilComplete(Loop.WhenAll(After(3), After(1), After(2)));

        Assert.That(results, Is.EqualTo(new[] { 3, 1, 2 }));
        Assert.That(Elapsed, Is.EqualTo(TimeSpan.FromSeconds(3)), "they ran concurrently");
    }

    [Test]
    public void WhenAll_FaultsWithTheFirstFaultAfterEveryTaskFinished()
    {
        bool slowFinished = false;
        async LoopTask Slow()
        {
            await Loop.Delay(TimeSpan.FromSeconds(5));
            slowFinished = true;
        }

        Assert.Throws<InvalidOperationException>(() => Loop.RunUntilComplete(Loop.WhenAll(Slow(), FailLater("x"))));
        Assert.That(slowFinished, Is.True);
    }

    [Test]
    public void WhenAny_GivesTheIndexOfTheFirstToFinish()
    {
        var slow = Loop.Delay(TimeSpan.FromSeconds(10));
        var fast = Loop.Delay(TimeSpan.FromSeconds(1));

        int winner = Loop.RunUntilComplete(Loop.WhenAny(slow, fast));

        Assert.That(winner, Is.EqualTo(1));
        Assert.That(slow.IsCompleted, Is.False, "the others keep running");
    }

    [Test]
    public void AsTask_HandsTheResultToOtherThreads()
    {
        var task = AddLater(20, 22).AsTask();
        Loop.RunUntilIdle();

        Assert.That(task.Wait(TimeSpan.FromSeconds(10)), Is.True);
        Assert.That(task.Result, Is.EqualTo(42));
    }

    [Test]
    public void AsTask_CarriesFailures()
    {
        var task = FailLater("nope").AsTask();
        Loop.RunUntilIdle();

        var error = Assert.Throws<AggregateException>(() => task.Wait(TimeSpan.FromSeconds(10)));
        Assert.That(error!.InnerException, Is.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void AsyncLocalValuesFlowAcrossAwaits()
    {
        var local = new AsyncLocal<string>();
        async LoopTask<string?> Read()
        {
            local.Value = "mine";
            await Loop.Yield();
            await Loop.Delay(TimeSpan.FromSeconds(1));
            return local.Value;
        }

        Assert.That(Loop.RunUntilComplete(Read), Is.EqualTo("mine"));
    }
}
