namespace EventLoop.Hosting;

/// <summary>
/// An event loop on a thread of its own, for an application that is not a loop itself (a generic
/// host, a service, a UI). The thread runs <c>loop.Run(main)</c> — main, then the unwinding of
/// whatever main left running — and every other thread reaches the loop only through
/// <see cref="InvokeAsync(Action)"/> and its overloads (which hop onto the loop and hand the result
/// back as a <see cref="Task"/>) and <see cref="StopAsync"/>.
/// </summary>
/// <remarks>
/// <para>Stopping has asyncio's meaning: main is cancelled on the loop (an
/// <see cref="OperationCanceledException"/> at the await where it is suspended), its
/// <c>finally</c> blocks run on the loop, and tasks it spawned are cancelled and unwound too,
/// before the loop is disposed and <see cref="Completion"/> completes.</para>
/// <para>The thread is a background thread: a loop that never finishes does not keep the
/// process alive.</para>
/// </remarks>
public sealed class LoopThread : IDisposable, IAsyncDisposable
{
    private readonly Func<Loop, LoopTask> _main;
    private readonly LoopOptions? _options;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly HashSet<LoopInvocation> _pending = new(ReferenceEqualityComparer.Instance);
    private Loop? _loop;            // set once by Start, under the gate
    private bool _stopRequested;    // under the gate
    private bool _finished;         // under the gate: the loop is disposed, nothing queued to it will run
    private LoopTask _runningMain;  // loop thread only

    /// <summary>Prepares a loop thread; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="main">The loop's main task, started on the loop thread (like <c>asyncio.run(main())</c>).</param>
    /// <param name="options">Options of the loop the thread creates (clock, logging, selector).</param>
    /// <param name="name">The thread's name, as debuggers and dumps show it.</param>
    public LoopThread(Func<Loop, LoopTask> main, LoopOptions? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(main);
        _main = main;
        _options = options;
        Name = string.IsNullOrEmpty(name) ? "EventLoop" : name;
    }

    /// <summary>The name of the thread.</summary>
    public string Name { get; }

    /// <summary>
    /// Completes when the loop has finished and been disposed: successfully when main returned,
    /// or unwound after a stop was requested; faulted with what main threw otherwise.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Creates the loop and starts the thread that runs main on it. Call it once.</summary>
    /// <exception cref="InvalidOperationException">The thread was already started.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_loop is not null) throw new InvalidOperationException($"The loop thread '{Name}' was already started: a LoopThread runs its main once.");
            // Created here rather than on the new thread, so work handed over before that thread
            // runs already has a loop to wait in (its thread-safe queue is drained once it runs).
            var loop = new Loop(_options);
            var thread = new Thread(() => RunOnThread(loop)) { Name = Name, IsBackground = true };
            thread.Start();
            _loop = loop;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread; the task completes (or faults) once it has.</summary>
    /// <remarks>
    /// To hand back a value, return a task: <c>InvokeAsync(() =&gt; LoopTask.FromResult(room.Count))</c>.
    /// (There is no <c>Func&lt;TResult&gt;</c> overload: an <c>async</c> lambda would bind to it as a
    /// <see cref="Task"/>-returning function, and the caller would get the task, not its result.)
    /// </remarks>
    /// <returns>A task that faults with <see cref="ObjectDisposedException"/> if the loop finished before the work could run.</returns>
    /// <exception cref="InvalidOperationException">The thread has not been started.</exception>
    public Task InvokeAsync(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Post(new LoopInvocation<bool>(() =>
        {
            action();
            return LoopTask.FromResult(true);
        }));
    }

    /// <summary>
    /// Starts <paramref name="work"/> on the loop thread (as a task the loop owns) and completes
    /// when it does. Work still running when the loop stops is cancelled, and the returned task
    /// ends <see cref="TaskStatus.Canceled"/>.
    /// </summary>
    /// <inheritdoc cref="InvokeAsync(Action)" path="/returns"/>
    /// <inheritdoc cref="InvokeAsync(Action)" path="/exception"/>
    public Task InvokeAsync(Func<LoopTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Post(new LoopInvocation<bool>(async () =>
        {
            await work();
            return true;
        }));
    }

    /// <summary>Like <see cref="InvokeAsync(Func{LoopTask})"/>, handing back the work's result.</summary>
    /// <inheritdoc cref="InvokeAsync(Action)" path="/returns"/>
    /// <inheritdoc cref="InvokeAsync(Action)" path="/exception"/>
    public Task<TResult> InvokeAsync<TResult>(Func<LoopTask<TResult>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Post(new LoopInvocation<TResult>(work));
    }

    /// <summary>
    /// Asks main to stop (cancels it on the loop) and waits until the loop has finished. Returns at
    /// once if the thread was never started.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (not the stop): a host's shutdown timeout.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first; the loop goes on unwinding.</exception>
    /// <remarks>Throws what main failed with, if it failed, as <see cref="Completion"/> does.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!RequestStop()) return;
        await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks main to stop and returns without waiting (the loop unwinds on its thread); await <see cref="StopAsync"/> to wait.</summary>
    public void Dispose() => RequestStop();

    /// <summary>Asks main to stop and waits until the loop has finished, without throwing what main failed with.</summary>
    public async ValueTask DisposeAsync()
    {
        if (RequestStop()) await Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Queues a cancellation of main onto the loop (once); false if the thread was never started.</summary>
    internal bool RequestStop()
    {
        lock (_gate)
        {
            if (_loop is null) return false;
            if (_stopRequested || _finished) return true;
            _stopRequested = true;
            // Queued, so it runs after main has started even when asked before the thread ran.
            try { _loop.CallSoonThreadSafe(() => _runningMain.Cancel()); }
            catch (ObjectDisposedException) { } // finished a moment ago; the thread is completing
            return true;
        }
    }

    private Task<TResult> Post<TResult>(LoopInvocation<TResult> invocation)
    {
        lock (_gate)
        {
            if (_loop is null) throw new InvalidOperationException($"Start the loop thread '{Name}' before handing it work.");
            if (_finished)
            {
                invocation.Abandon(Finished());
                return invocation.Task;
            }
            _pending.Add(invocation);
            try { _loop.CallSoonThreadSafe(() => RunPending(invocation)); }
            catch (ObjectDisposedException) { } // the thread is about to abandon what is pending, this included
        }
        return invocation.Task;
    }

    private void RunPending(LoopInvocation invocation)
    {
        lock (_gate) _pending.Remove(invocation);
        invocation.Run(Loop.Current!);
    }

    private void RunOnThread(Loop loop)
    {
        Exception? failure = null;
        try
        {
            loop.Run(() => _runningMain = _main(loop));
        }
        catch (OperationCanceledException) when (Volatile.Read(ref _stopRequested))
        {
            // Stopped on request: main unwound.
        }
        catch (Exception e)
        {
            failure = e;
        }
        // The loop is disposed: callbacks still queued to it were dropped with it.
        LoopInvocation[] abandoned;
        lock (_gate)
        {
            _finished = true;
            abandoned = [.. _pending];
            _pending.Clear();
        }
        foreach (var invocation in abandoned) invocation.Abandon(Finished());
        if (failure is null) _completion.TrySetResult();
        else _completion.TrySetException(failure);
    }

    private ObjectDisposedException Finished() => new(Name, $"The loop thread '{Name}' has finished: the work was not run.");
}
