using System.Diagnostics;

namespace EventLoop;

public sealed partial class Loop
{
    private readonly List<SelectorEvent> _events = new();
    private int _busyIterations;
    private SynchronizationContext? _savedSynchronizationContext;
    private Loop? _savedCurrent;

    /// <summary>
    /// Runs exactly one iteration:
    /// <list type="number">
    /// <item>the wait is zero if callbacks are ready (or a stop was requested), else the time to
    /// the earliest timer, capped by <paramref name="maxWait"/> (no timer and no cap: until a
    /// socket is ready or another thread calls <see cref="CallSoonThreadSafe(Action)"/>);</item>
    /// <item>select on the registered sockets for that long — when callbacks are ready, only
    /// every <see cref="LoopOptions.BusyPollInterval"/>th iteration (default 61; 1 polls in every
    /// iteration), so a busy iteration costs no syscall; an iteration that would wait always selects;</item>
    /// <item>queue the callbacks of ready sockets, then those handed over from other threads,
    /// then due timers (by due time, equal ones in scheduling order);</item>
    /// <item>run exactly the callbacks that were queued when this step began; those they queue
    /// wait for the next iteration;</item>
    /// <item>run the end-of-iteration callbacks (<see cref="CallAtIterationEnd"/>) registered
    /// when this step began: transports flush here what was written during the iteration.</item>
    /// </list>
    /// </summary>
    /// <param name="maxWait">The longest the iteration may wait (loop time); <see cref="TimeSpan.Zero"/> only polls.</param>
    public void RunOnce(TimeSpan? maxWait = null)
    {
        if (maxWait is { } m && m < TimeSpan.Zero && m != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "maxWait cannot be negative.");
        Enter();
        try { Step(maxWait == Timeout.InfiniteTimeSpan ? null : maxWait); }
        finally { Exit(); }
    }

    /// <summary>Runs iterations until <see cref="Stop"/> is called; that iteration is completed first.</summary>
    public void RunForever()
    {
        Enter();
        try
        {
            do Step(null);
            while (!_stopRequested);
        }
        finally
        {
            _stopRequested = false;
            Exit();
        }
    }

    /// <summary>
    /// Asks <see cref="RunForever"/> or a RunUntil method to return at the end of the current
    /// iteration — also when called from a callback of that iteration, and from any thread
    /// (it wakes a loop blocked in select). If the loop is not running, the next run stops
    /// after one iteration.
    /// </summary>
    public void Stop()
    {
        _stopRequested = true;
        if (!_disposed && !IsOnLoopThread) _wakeup.Signal();
    }

    /// <summary>Runs the loop until <paramref name="task"/> finishes, then returns normally or rethrows what it ended with.</summary>
    /// <exception cref="InvalidOperationException">The loop was stopped before the task finished.</exception>
    public void RunUntilComplete(LoopTask task)
    {
        RunUntilCompleted(task);
        task.GetAwaiter().GetResult();
    }

    /// <summary>Runs the loop until <paramref name="task"/> finishes and returns its result (or rethrows).</summary>
    /// <exception cref="InvalidOperationException">The loop was stopped before the task finished.</exception>
    public TResult RunUntilComplete<TResult>(LoopTask<TResult> task)
    {
        RunUntilCompleted(task);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Starts <paramref name="start"/> inside the loop (so its synchronous part already sees
    /// <see cref="Current"/> and the loop's synchronization context) and runs until it finishes.
    /// </summary>
    public void RunUntilComplete(Func<LoopTask> start) => RunUntilComplete(StartInside(start));

    /// <summary>Like <see cref="RunUntilComplete(Func{LoopTask})"/>, returning the task's result.</summary>
    public TResult RunUntilComplete<TResult>(Func<LoopTask<TResult>> start) => RunUntilComplete(StartInside(start));

    /// <summary>
    /// Runs iterations that do not wait until nothing is ready and no timer is due: what a test
    /// calls to let everything that can happen now happen, without moving time.
    /// </summary>
    /// <param name="maxIterations">A guard against callbacks that re-queue themselves forever.</param>
    /// <exception cref="InvalidOperationException">Still busy after <paramref name="maxIterations"/> iterations.</exception>
    public void RunUntilIdle(int maxIterations = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIterations);
        Enter();
        try
        {
            for (int i = 0; i < maxIterations; i++)
            {
                Step(TimeSpan.Zero);
                if (!HasWorkNow()) return;
            }
            throw new InvalidOperationException($"The loop was still busy after {maxIterations} iterations: a callback keeps re-queueing work.");
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// asyncio.run for this loop: starts <paramref name="main"/> inside the loop, runs until it
    /// finishes, then cancels every task still running (spawned tasks, and main itself if the
    /// loop was stopped), runs the loop until their <c>finally</c> blocks have run, and disposes
    /// the loop. Rethrows what main ended with.
    /// </summary>
    public void Run(Func<LoopTask> main)
    {
        ArgumentNullException.ThrowIfNull(main);
        LoopTask task = default;
        try
        {
            task = StartInside(main);
            RunUntilComplete(task);
        }
        finally
        {
            ShutDown(task);
        }
    }

    /// <summary>Like <see cref="Run(Func{LoopTask})"/>, returning main's result.</summary>
    public TResult Run<TResult>(Func<LoopTask<TResult>> main)
    {
        ArgumentNullException.ThrowIfNull(main);
        LoopTask<TResult> task = default;
        try
        {
            task = StartInside(main);
            return RunUntilComplete(task);
        }
        finally
        {
            ShutDown(task);
        }
    }

    private static readonly Action<object?> NoOp = static _ => { };

    private void RunUntilCompleted(LoopTask task)
    {
        // A task can finish on another thread (a method started outside the loop resumes on the
        // thread pool after awaiting a plain Task). A continuation queued to this loop wakes a
        // blocked select when that happens, so the loop notices instead of sleeping on.
        if (!task.IsCompleted) task.Source!.OnCompleted(NoOp, null, task.Version, this);
        Enter();
        try
        {
            while (!task.IsCompleted)
            {
                Step(null);
                if (_stopRequested) break;
            }
        }
        finally
        {
            _stopRequested = false;
            Exit();
        }
        if (!task.IsCompleted) throw new InvalidOperationException("The loop was stopped before the task completed.");
    }

    private LoopTask StartInside(Func<LoopTask> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Enter();
        try { return start(); }
        catch (Exception e) { return LoopTask.FromException(e); }
        finally { Exit(); }
    }

    private LoopTask<TResult> StartInside<TResult>(Func<LoopTask<TResult>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Enter();
        try { return start(); }
        catch (Exception e)
        {
            var failed = new CompletedSource<TResult>();
            failed.TrySetException(e);
            return new LoopTask<TResult>(failed, failed.Version);
        }
        finally { Exit(); }
    }

    /// <summary>Cancels what is left, lets it unwind, then disposes. Never leaves the loop undisposed.</summary>
    private void ShutDown(LoopTask main)
    {
        try
        {
            if (_disposed) return;
            Enter();
            try
            {
                main.Cancel();
                // Tasks spawned while unwinding (by a finally block, say) are left over too:
                // cancel each task once, whenever it shows up, instead of waiting for it to end.
                var cancelled = new HashSet<LoopTaskSource>(ReferenceEqualityComparer.Instance);
                while (true)
                {
                    foreach (var leftover in _spawned.ToArray())
                    {
                        if (cancelled.Add(leftover)) leftover.Cancel(leftover.Version);
                    }
                    if (main.IsCompleted && _spawned.Count == 0) break;
                    Step(null);
                }
                Step(TimeSpan.Zero); // deliver reports queued by the last completions
            }
            finally
            {
                _stopRequested = false;
                Exit();
            }
        }
        finally
        {
            Dispose();
        }
    }

    private bool HasWorkNow() =>
        _ready.Count > 0 || _atIterationEnd.Count > 0 || _inbox.HasItems || (Timers.TryPeekDue(out long due) && due <= Now);

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int me = Environment.CurrentManagedThreadId;
        int running = Interlocked.CompareExchange(ref _runningThreadId, me, 0);
        if (running != 0)
        {
            throw new InvalidOperationException(running == me
                ? "The loop is already running on this thread: a callback cannot run the loop again (await the work instead)."
                : $"The loop is already running on thread {running}: a loop runs on one thread at a time. Use CallSoonThreadSafe to hand it work.");
        }
        Volatile.Write(ref _ownerThreadId, me);
        _savedSynchronizationContext = System.Threading.SynchronizationContext.Current;
        System.Threading.SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        _savedCurrent = t_current;
        t_current = this;
    }

    private void Exit()
    {
        t_current = _savedCurrent;
        System.Threading.SynchronizationContext.SetSynchronizationContext(_savedSynchronizationContext);
        _savedCurrent = null;
        _savedSynchronizationContext = null;
        Volatile.Write(ref _runningThreadId, 0);
    }

    /// <summary>One iteration: the contract documented on <see cref="RunOnce"/>.</summary>
    private void Step(TimeSpan? maxWait)
    {
        var wait = ComputeWait(maxWait);
        if (_ready.Count == 0 || ++_busyIterations >= _busyPollInterval)
        {
            _busyIterations = 0;
            WaitForEvents(wait);
            QueueReadySockets(_events);
        }
        _inbox.DrainInto(_ready);
        QueueDueTimers();
        RunReadyCallbacks();
        RunIterationEndCallbacks();
    }

    private TimeSpan ComputeWait(TimeSpan? maxWait)
    {
        if (_ready.Count > 0 || _atIterationEnd.Count > 0 || _inbox.HasItems || _stopRequested) return TimeSpan.Zero;
        var wait = Timeout.InfiniteTimeSpan;
        if (Timers.TryPeekDue(out long due))
        {
            long remaining = due - Now;
            wait = remaining <= 0 ? TimeSpan.Zero : ToTimeSpan(remaining);
        }
        if (maxWait is { } cap && (wait == Timeout.InfiniteTimeSpan || cap < wait)) wait = cap;
        return wait;
    }

    private void WaitForEvents(TimeSpan wait)
    {
        if (_manualClock is null || wait == TimeSpan.Zero || wait == Timeout.InfiniteTimeSpan)
        {
            _selector.Select(wait, _events);
            return;
        }
        // Loop time passes only when the manual clock is advanced: poll the sockets once rather
        // than sleeping, and if nothing at all happened, jump the clock over the idle wait.
        _selector.Select(TimeSpan.Zero, _events);
        if (_events.Count == 0 && !_inbox.HasItems && _manualClock.AutoAdvance) _manualClock.Advance(wait);
    }

    private void QueueDueTimers()
    {
        // Reading the clock is a syscall-class cost on some VMs (40-60 ns here): skip it when
        // there is no timer at all, which is the common case of a busy iteration.
        if (Timers.Count == 0) return;
        long now = Now;
        while (Timers.PopDue(now) is { } timer) _ready.Enqueue(new ReadyItem(RunTimer, timer));
    }

    private static readonly Action<object?> RunTimer = static state => ((TimerHandle)state!).Fire();

    private void RunReadyCallbacks() => RunQueuedNow(_ready);

    /// <summary>Runs exactly the callbacks in <paramref name="queue"/> now; those queued meanwhile wait for the next time.</summary>
    private void RunQueuedNow(ReadyQueue queue)
    {
        int count = queue.Count;
        for (int i = 0; i < count; i++)
        {
            var item = queue.Dequeue();
            if (_debug) RunTimed(item);
            else Run(item);
        }
    }

    private void Run(in ReadyItem item)
    {
        try
        {
            item.Callback(item.State);
        }
        catch (Exception exception)
        {
            ReportException(new LoopExceptionContext("Exception in callback", exception, Describe(item)));
        }
    }

    private void RunTimed(in ReadyItem item)
    {
        long started = Stopwatch.GetTimestamp();
        Run(item);
        var took = Stopwatch.GetElapsedTime(started);
        if (took > _slowCallbackThreshold) LogSlowCallback(Describe(item), took);
    }
}
