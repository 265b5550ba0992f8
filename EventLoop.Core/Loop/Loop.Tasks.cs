namespace EventLoop;

public sealed partial class Loop
{
    private readonly HashSet<LoopTaskSource> _spawned = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Starts a task the loop owns: <paramref name="start"/> runs now, up to its first await (as
    /// calling any async method does), and the loop keeps a strong reference until the task
    /// ends — so fire-and-forget work is never collected mid-flight. If the task fails and
    /// nothing has awaited it by the end of the next iteration, the failure goes to the
    /// <see cref="ExceptionHandler"/> at that moment: never lost, never only at GC time.
    /// <see cref="Run(Func{LoopTask})"/> cancels spawned tasks still running when main ends.
    /// </summary>
    public LoopTask Spawn(Func<LoopTask> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        CheckThread();
        LoopTask task;
        try { task = start(); }
        catch (Exception e) { task = LoopTask.FromException(e); }
        Own(task.Source, task.Version);
        return task;
    }

    /// <summary>Like <see cref="Spawn(Func{LoopTask})"/>, for a task with a result.</summary>
    public LoopTask<TResult> Spawn<TResult>(Func<LoopTask<TResult>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        CheckThread();
        LoopTask<TResult> task;
        try { task = start(); }
        catch (Exception e)
        {
            var failed = new CompletedSource<TResult>();
            failed.TrySetException(e);
            task = new LoopTask<TResult>(failed, failed.Version);
        }
        Own(task.Source, task.Version);
        return task;
    }

    /// <summary>Number of spawned tasks still running.</summary>
    public int SpawnedCount => _spawned.Count;

    /// <summary>
    /// A task that completes after <paramref name="delay"/> of loop time
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: never, until cancelled). Cancelling it, or
    /// <paramref name="cancellationToken"/>, removes its timer. Loop thread only.
    /// </summary>
    public LoopTask Delay(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (delay < TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A delay cannot be negative (Timeout.InfiniteTimeSpan waits until cancelled).");
        CheckThread();
        if (cancellationToken.IsCancellationRequested) return LoopTask.FromException(new OperationCanceledException(cancellationToken));
        var promise = new DelayPromise(this, delay, cancellationToken);
        return new LoopTask(promise, promise.Version);
    }

    /// <summary>Awaiting the result gives up the rest of this iteration and resumes in the next (asyncio's <c>sleep(0)</c>).</summary>
    public YieldAwaitable Yield()
    {
        CheckThread();
        return new YieldAwaitable(this);
    }

    /// <summary>A result to be provided later by a callback (asyncio's Future).</summary>
    public LoopFuture<TResult> CreateFuture<TResult>()
    {
        CheckThread();
        return new LoopFuture<TResult>(this);
    }

    /// <summary>
    /// Awaits <paramref name="task"/> for at most <paramref name="timeout"/> of loop time. On
    /// timeout the task is cancelled, the wait continues until it has actually finished (so its
    /// <c>finally</c> blocks have run), and <see cref="TimeoutException"/> is thrown. Cancelling
    /// the returned task cancels <paramref name="task"/> too.
    /// </summary>
    public LoopTask WaitForAsync(LoopTask task, TimeSpan timeout)
    {
        ValidateTimeout(timeout);
        CheckThread();
        return WaitForCore(task, timeout);
    }

    /// <summary>Like <see cref="WaitForAsync(LoopTask, TimeSpan)"/>, returning the task's result.</summary>
    public LoopTask<TResult> WaitForAsync<TResult>(LoopTask<TResult> task, TimeSpan timeout)
    {
        ValidateTimeout(timeout);
        CheckThread();
        return WaitForCore(task, timeout);
    }

    /// <summary>
    /// Completes when every task has finished. If any faulted, it faults with the first (in
    /// argument order) fault; otherwise, if any was cancelled, it is cancelled. Cancelling it
    /// cancels all of them (asyncio's gather).
    /// </summary>
    public LoopTask WhenAll(params LoopTask[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        CheckThread();
        var promise = new WhenAllPromise(this, (LoopTask[])tasks.Clone());
        return new LoopTask(promise, promise.Version);
    }

    /// <summary>Like <see cref="WhenAll(LoopTask[])"/>, with the results in argument order.</summary>
    public LoopTask<TResult[]> WhenAll<TResult>(params LoopTask<TResult>[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var copy = (LoopTask<TResult>[])tasks.Clone();
        var all = WhenAll(Array.ConvertAll(copy, t => (LoopTask)t));
        return CollectResults(all, copy);
    }

    /// <summary>
    /// Completes with the index of the first task to finish (however it finished). Cancelling
    /// it abandons the wait; the tasks keep running.
    /// </summary>
    public LoopTask<int> WhenAny(params LoopTask[] tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Length == 0) throw new ArgumentException("WhenAny needs at least one task.", nameof(tasks));
        CheckThread();
        var promise = new WhenAnyPromise(this, tasks);
        return new LoopTask<int>(promise, promise.Version);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the thread pool and delivers its result, or its
    /// exception, back on the loop thread (asyncio's run_in_executor). Cancelling the returned
    /// task stops waiting; work already running is not interrupted and its result is dropped.
    /// </summary>
    public LoopTask<TResult> RunInExecutor<TResult>(Func<TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        CheckThread();
        var future = CreateFuture<TResult>();
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (loop, future, work, token) = state;
            TResult? result = default;
            Exception? error = null;
            try
            {
                token.ThrowIfCancellationRequested();
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
            // If the loop is gone there is nobody left to tell.
            loop.TryPost(static s =>
            {
                var (f, r, e) = ((LoopFuture<TResult>, TResult?, Exception?))s!;
                if (e is null) f.TrySetResult(r!);
                else f.TrySetException(e);
            }, (future, result, error));
        }, (this, future, work, cancellationToken), preferLocal: false);
        return future.Task;
    }

    /// <summary>Like <see cref="RunInExecutor{TResult}(Func{TResult}, CancellationToken)"/>, for work without a result.</summary>
    public LoopTask RunInExecutor(Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunInExecutor(() =>
        {
            work();
            return true;
        }, cancellationToken);
    }

    internal void OnSpawnedTaskFinished(LoopTaskSource source, bool awaited)
    {
        _spawned.Remove(source);
        if (!awaited && source.GetStatus(source.Version) == LoopTaskStatus.Faulted) ReportIfUnobservedSoon(source);
    }

    private void Own(LoopTaskSource? source, int version)
    {
        if (source is null || source.SpawnedBy is not null) return;
        if (source.IsCompleted(version))
        {
            if (source.GetStatus(version) == LoopTaskStatus.Faulted) ReportIfUnobservedSoon(source);
            return;
        }
        source.SpawnedBy = this;
        _spawned.Add(source);
    }

    /// <summary>Gives code that holds the task until the end of the next iteration to await it; if nobody did, reports the failure.</summary>
    private void ReportIfUnobservedSoon(LoopTaskSource source)
    {
        TryPost(static state =>
        {
            var (loop, failed) = ((Loop, LoopTaskSource))state!;
            if (!failed.Observed)
            {
                loop.ReportException(new LoopExceptionContext(
                    "A spawned task failed and nothing awaited it", failed.GetException(failed.Version), failed.Describe()));
            }
        }, (this, source));
    }

    private static void ValidateTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A timeout cannot be negative (Timeout.InfiniteTimeSpan means none).");
    }

    private async LoopTask WaitForCore(LoopTask task, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan || task.IsCompleted)
        {
            await task;
            return;
        }
        var expiry = new Expiry(task);
        var timer = CallLater(timeout, Expiry.OnTimeout, expiry);
        try
        {
            await task;
        }
        catch (OperationCanceledException) when (expiry.Fired)
        {
            throw new TimeoutException($"The operation did not complete within {timeout}.");
        }
        finally
        {
            timer.Cancel();
        }
    }

    private async LoopTask<TResult> WaitForCore<TResult>(LoopTask<TResult> task, TimeSpan timeout)
    {
        await WaitForCore((LoopTask)task, timeout);
        return task.Result;
    }

    private static async LoopTask<TResult[]> CollectResults<TResult>(LoopTask all, LoopTask<TResult>[] tasks)
    {
        await all;
        var results = new TResult[tasks.Length];
        for (int i = 0; i < tasks.Length; i++) results[i] = tasks[i].Result;
        return results;
    }

    /// <summary>The timeout of one <see cref="WaitForAsync(LoopTask, TimeSpan)"/>: fired only if it really cancelled the task.</summary>
    private sealed class Expiry(LoopTask task)
    {
        public static readonly Action<object?> OnTimeout = static state =>
        {
            var expiry = (Expiry)state!;
            expiry.Fired = expiry._task.Cancel();
        };

        private readonly LoopTask _task = task;

        public bool Fired { get; private set; }
    }
}
