using EventLoop.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventLoop;

/// <summary>
/// A single-threaded event loop: one thread waits on many sockets at once (through an
/// <see cref="ISelector"/>), wakes when one is ready or a timer is due, and runs the callbacks and
/// <see cref="LoopTask"/> continuations that became ready — in a documented order, one iteration
/// at a time (<see cref="RunOnce"/>).
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> A loop belongs to the thread that runs it (before it first runs, to the
/// thread that created it). Every method is loop-thread only, except
/// <see cref="CallSoonThreadSafe(Action)"/>, <see cref="Stop"/>, and <see cref="Dispose"/> of a loop
/// that is not running; calling another from the wrong thread throws
/// <see cref="InvalidOperationException"/>.</para>
/// <para><b>Time.</b> <see cref="Now"/> is a timestamp of the loop's <see cref="System.TimeProvider"/>;
/// durations are <see cref="TimeSpan"/>s of loop time. With <see cref="ManualClock"/> a test
/// decides when time passes.</para>
/// </remarks>
public sealed partial class Loop : IDisposable
{
    [ThreadStatic] private static Loop? t_current;

    /// <summary>The ready-queue shape of a plain <see cref="Action"/>.</summary>
    internal static readonly Action<object?> InvokeAction = static state => ((Action)state!).Invoke();

    private readonly TimeProvider _clock;
    private readonly ManualClock? _manualClock;
    private readonly Action _wakeOnClockAdvance;
    private readonly ISelector _selector;
    private readonly WakeupChannel _wakeup;
    private readonly ReadyQueue _ready = new();
    private readonly ThreadSafeInbox _inbox = new();
    private readonly LoopSynchronizationContext _synchronizationContext;
    private readonly ILogger _logger;
    private readonly bool _debug;
    private readonly TimeSpan _slowCallbackThreshold;
    private readonly int _busyPollInterval;

    private int _ownerThreadId;
    private int _runningThreadId;
    private volatile bool _stopRequested;
    private volatile bool _disposed;

    /// <summary>Creates a loop. It does not start until you run it.</summary>
    public Loop(LoopOptions? options = null)
    {
        options ??= new LoopOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SlowCallbackThreshold, TimeSpan.Zero);
        _clock = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger("EventLoop.Loop") ?? StandardErrorLogger.Instance;
        _debug = options.Debug;
        _slowCallbackThreshold = options.SlowCallbackThreshold;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyPollInterval, 1);
        _busyPollInterval = options.BusyPollInterval;
        _selector = options.Selector ?? DefaultSelector.Create();
        _wakeup = new WakeupChannel();
        _selector.Register(_wakeup.Reader, SelectorInterest.Read, _wakeup);
        _synchronizationContext = new LoopSynchronizationContext(this);
        _ownerThreadId = Environment.CurrentManagedThreadId;
        _wakeOnClockAdvance = () =>
        {
            if (!IsOnLoopThread) _wakeup.Signal();
        };
        _manualClock = _clock as ManualClock;
        _manualClock?.Subscribe(_wakeOnClockAdvance);
    }

    /// <summary>The loop running on the calling thread, or null (asyncio's <c>get_running_loop</c>).</summary>
    public static Loop? Current => t_current;

    /// <summary>The current loop time: a timestamp of <see cref="TimeProvider"/>, as <see cref="CallAt(long, Action)"/> takes.</summary>
    public long Now => _clock.GetTimestamp();

    /// <summary>The loop's clock.</summary>
    public TimeProvider TimeProvider => _clock;

    /// <summary>The loop's logger (category "EventLoop.Loop"), for layers built on it.</summary>
    public ILogger Logger => _logger;

    /// <summary>True while a thread is inside <see cref="RunOnce"/>, <see cref="RunForever"/> or another Run method.</summary>
    public bool IsRunning => Volatile.Read(ref _runningThreadId) != 0;

    /// <summary>True on the thread the loop belongs to: the one running it, or, between runs, the last one that did.</summary>
    public bool IsOnLoopThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _ownerThreadId);

    /// <summary>True after <see cref="Dispose"/>.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The context installed while the loop runs.</summary>
    public LoopSynchronizationContext SynchronizationContext => _synchronizationContext;

    /// <summary>Callbacks queued to run, for diagnostics and tests.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>Timers in the heap (cancelled ones not yet purged included), for diagnostics and tests.</summary>
    public int TimerCount => Timers.Count;

    internal TimerHeap Timers { get; } = new();

    /// <summary>Loop time elapsed between two timestamps.</summary>
    public TimeSpan Elapsed(long fromTimestamp, long toTimestamp) => _clock.GetElapsedTime(fromTimestamp, toTimestamp);

    /// <summary>
    /// Closes the selector and the wake-up sockets and drops every queued callback and timer.
    /// Any use afterwards throws <see cref="ObjectDisposedException"/>. A loop cannot be
    /// disposed while it runs: <see cref="Stop"/> it first.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (IsRunning)
            throw new InvalidOperationException("A running loop cannot be disposed: call Stop() and dispose it after the Run method returns.");
        _disposed = true;
        _manualClock?.Unsubscribe(_wakeOnClockAdvance);
        _selector.Dispose();
        _wakeup.Dispose();
        _ready.Clear();
        _atIterationEnd.Clear();
        _inbox.Clear();
        Timers.Clear();
        _registrations.Clear();
        _spawned.Clear();
    }

    /// <summary>Throws unless called on the loop's thread of a loop that is not disposed.</summary>
    internal void CheckThread()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _ownerThreadId)) throw WrongThread();
    }

    private static InvalidOperationException WrongThread() =>
        new("This Loop method must be called on the loop's own thread. From another thread, hand the work to the loop with CallSoonThreadSafe.");

    /// <summary>
    /// Queues a callback from any thread: directly when called from the running loop's thread,
    /// otherwise through the thread-safe inbox, waking the loop. False once the loop is disposed.
    /// </summary>
    internal bool TryPost(Action<object?> callback, object? state)
    {
        if (_disposed) return false;
        // The lock-free path only from inside a running iteration on this thread. A loop that is
        // not running may be started by another thread at any moment, so everything else goes
        // through the inbox, which the next iteration drains wherever it runs.
        if (Volatile.Read(ref _runningThreadId) == Environment.CurrentManagedThreadId)
        {
            _ready.Enqueue(new ReadyItem(callback, state));
        }
        else
        {
            _inbox.Add(new ReadyItem(callback, state));
            _wakeup.Signal();
        }
        return true;
    }

    /// <summary>Resumes a continuation on the current loop (or the thread pool when there is none); never inline.</summary>
    internal static void ScheduleContinuation(Action continuation)
    {
        if (t_current is not { } loop || !loop.TryPost(InvokeAction, continuation))
            ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }
}
