using Microsoft.Extensions.Logging;

namespace EventLoop;

/// <summary>How a <see cref="Loop"/> is set up.</summary>
public sealed class LoopOptions
{
    /// <summary>The loop's clock. Default <see cref="TimeProvider.System"/>; tests use <see cref="Testing.ManualClock"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the loop logs (category "EventLoop.Loop"). Default: warnings and errors to standard error.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The readiness backend; the loop owns and disposes it. Default: <see cref="DefaultSelector.Create"/>
    /// (epoll on Linux, <see cref="SocketSelectSelector"/> elsewhere).
    /// </summary>
    public ISelector? Selector { get; set; }

    /// <summary>
    /// While callbacks are ready, the selector is polled (with a zero timeout) only every this
    /// many iterations; whenever nothing is ready the loop always selects, so I/O is never
    /// delayed when it is idle. A busy iteration then costs no syscall, and a stream of ready
    /// work still cannot starve I/O (Tokio's <c>event_interval</c>, also 61). Set 1 to poll in
    /// every iteration, as asyncio does. Default 61.
    /// </summary>
    public int BusyPollInterval { get; set; } = 61;

    /// <summary>Debug mode: time every callback and log those slower than <see cref="SlowCallbackThreshold"/>. Off by default.</summary>
    public bool Debug { get; set; }

    /// <summary>In debug mode, callbacks that run longer than this (real time) are logged. Default 100 ms, as in asyncio.</summary>
    public TimeSpan SlowCallbackThreshold { get; set; } = TimeSpan.FromMilliseconds(100);
}
