namespace EventLoop.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when told, for deterministic tests of
/// loop code (Trio's MockClock, Tokio's paused time). Give it to a loop through
/// <see cref="LoopOptions.TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>A loop on a manual clock never sleeps in real time waiting for a timer. When it would,
/// it polls its sockets once instead, and then:</para>
/// <list type="bullet">
/// <item>with <see cref="AutoAdvance"/> on, and nothing ready, it moves the clock straight to
/// the end of the wait (its next timer, or the <c>maxWait</c> of <see cref="Loop.RunOnce"/>),
/// so <c>await loop.Delay(TimeSpan.FromMinutes(10))</c> finishes at once with
/// <see cref="Loop.Now"/> exactly ten minutes later;</item>
/// <item>with it off, the iteration ends and time moves only through <see cref="Advance"/>.</item>
/// </list>
/// <para>With no timer and no <c>maxWait</c> the loop still blocks on its sockets, as any loop
/// would; <see cref="Advance"/> from another thread wakes it.</para>
/// <para>Timestamps are in ticks (<see cref="TimeSpan.TicksPerSecond"/> a second), so
/// conversions are exact.</para>
/// </remarks>
public sealed class ManualClock : TimeProvider
{
    private readonly DateTimeOffset _start;
    private readonly object _lock = new();
    private long _ticks;
    private Action? _advanced;

    /// <summary>Creates a clock that reads <paramref name="start"/> (default 2000-01-01 UTC) until advanced.</summary>
    public ManualClock(DateTimeOffset? start = null) => _start = start ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>When true, a loop that has nothing to do but wait jumps the clock forward instead of waiting.</summary>
    public bool AutoAdvance { get; set; }

    /// <summary>How far the clock has been advanced in total.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _start + Elapsed;

    /// <summary>Moves the clock forward. Safe from any thread; wakes loops blocked on this clock.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative: time never goes back.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        Interlocked.Add(ref _ticks, delta.Ticks);
        Action? advanced;
        lock (_lock) advanced = _advanced;
        advanced?.Invoke();
    }

    /// <summary>
    /// Not supported: the loop keeps its own timers on this clock (<see cref="Loop.CallLater(TimeSpan, Action)"/>,
    /// <see cref="Loop.Delay(TimeSpan, CancellationToken)"/>). A thread-pool timer would fire in real time, or
    /// on whatever thread called <see cref="Advance"/>, which is the ordering trap this clock avoids.
    /// </summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("ManualClock drives only the loop's own timers: use loop.CallLater or loop.Delay.");

    internal void Subscribe(Action onAdvanced)
    {
        lock (_lock) _advanced += onAdvanced;
    }

    internal void Unsubscribe(Action onAdvanced)
    {
        lock (_lock) _advanced -= onAdvanced;
    }
}
