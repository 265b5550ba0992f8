using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>
/// The awaitable returned by <c>async LoopTask</c> methods: a task that a <see cref="Loop"/>
/// resumes on its own thread. Continuations are always queued on the awaiting code's loop,
/// never run inline on the thread that completed the task.
/// </summary>
/// <remarks>
/// A small struct over a (pooled) source. It may be copied, awaited any number of times, from
/// several places, before or after it completes; each await gives the same outcome, and
/// <see cref="Status"/> stays readable afterwards. The default value is a completed task.
/// </remarks>
[AsyncMethodBuilder(typeof(LoopTaskMethodBuilder))]
public readonly struct LoopTask
{
    internal readonly LoopTaskSource? Source;
    internal readonly int Version;

    internal LoopTask(LoopTaskSource source, int version)
    {
        Source = source;
        Version = version;
    }

    /// <summary>A task that has already completed successfully.</summary>
    public static LoopTask CompletedTask => default;

    /// <summary>A task that has already failed with <paramref name="exception"/>.</summary>
    public static LoopTask FromException(Exception exception)
    {
        var source = new CompletedSource<VoidResult>();
        source.TrySetException(exception);
        return new LoopTask(source, source.Version);
    }

    /// <summary>A task that has already been cancelled.</summary>
    public static LoopTask FromCanceled() => FromException(new OperationCanceledException());

    /// <summary>A task that has already completed with <paramref name="result"/>.</summary>
    public static LoopTask<TResult> FromResult<TResult>(TResult result) => new(result);

    /// <summary>True once the task has finished, however it finished.</summary>
    public bool IsCompleted => Source is null || Source.IsCompleted(Version);

    /// <summary>Where the task is in its life.</summary>
    public LoopTaskStatus Status => Source is null ? LoopTaskStatus.RanToCompletion : Source.GetStatus(Version);

    /// <summary>The exception a faulted or cancelled task ended with; null otherwise.</summary>
    public Exception? Exception => Source?.GetException(Version);

    /// <summary>
    /// Requests cancellation with asyncio's meaning: an <see cref="OperationCanceledException"/>
    /// is raised at the await where the task is suspended (reaching into the <see cref="LoopTask"/>
    /// it awaits, and so on down to the operation that is actually waiting). The task ends
    /// <see cref="LoopTaskStatus.Canceled"/> unless its code catches the exception.
    /// Loop-thread only.
    /// </summary>
    /// <returns>False if the task had already finished.</returns>
    public bool Cancel() => Source is not null && Source.Cancel(Version);

    /// <summary>Gets an awaiter; used by <c>await</c>.</summary>
    public Awaiter GetAwaiter() => new(this);

    /// <summary>
    /// A <see cref="Task"/> that completes the same way, for code on other threads. It is
    /// completed at the moment the loop task completes (even if the loop stops right after);
    /// its continuations run on the thread pool, never inside the loop's callback.
    /// </summary>
    public Task AsTask()
    {
        if (Source is null) return Task.CompletedTask;
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var version = Version;
        Source.OnCompletedInline(static state =>
        {
            var (source, version, completion) = ((LoopTaskSource, int, TaskCompletionSource))state!;
            source.CopyOutcomeTo(version, completion);
        }, (Source, version, tcs), version);
        return tcs.Task;
    }

    /// <summary>Awaits a <see cref="LoopTask"/>.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly LoopTask _task;

        internal Awaiter(LoopTask task) => _task = task;

        /// <summary>True once the task has finished.</summary>
        public bool IsCompleted => _task.IsCompleted;

        /// <summary>Returns, or throws what the task ended with.</summary>
        public void GetResult()
        {
            AsyncMethodContext.ThrowIfCancelPending();
            _task.Source?.Consume(_task.Version);
        }

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation)
        {
            var source = _task.Source;
            if (source is null)
            {
                Loop.ScheduleContinuation(continuation);
                return;
            }
            source.OnAwaited(continuation, _task.Version);
        }
    }
}
