using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>
/// The awaitable returned by <c>async LoopTask&lt;T&gt;</c> methods; see <see cref="LoopTask"/>.
/// </summary>
/// <typeparam name="TResult">The result type.</typeparam>
[AsyncMethodBuilder(typeof(LoopTaskMethodBuilder<>))]
public readonly struct LoopTask<TResult>
{
    internal readonly LoopTaskSource<TResult>? Source;
    internal readonly int Version;
    private readonly TResult? _result;

    internal LoopTask(TResult result)
    {
        Source = null;
        Version = 0;
        _result = result;
    }

    internal LoopTask(LoopTaskSource<TResult> source, int version)
    {
        Source = source;
        Version = version;
        _result = default;
    }

    /// <summary>True once the task has finished, however it finished.</summary>
    public bool IsCompleted => Source is null || Source.IsCompleted(Version);

    /// <summary>Where the task is in its life.</summary>
    public LoopTaskStatus Status => Source is null ? LoopTaskStatus.RanToCompletion : Source.GetStatus(Version);

    /// <summary>The exception a faulted or cancelled task ended with; null otherwise.</summary>
    public Exception? Exception => Source?.GetException(Version);

    /// <summary>
    /// The result of a task that completed successfully; throws what a failed task ended with,
    /// and <see cref="InvalidOperationException"/> if the task has not finished.
    /// </summary>
    public TResult Result => Source is null ? _result! : Source.GetResult(Version);

    /// <summary>Requests cancellation; see <see cref="LoopTask.Cancel"/>.</summary>
    /// <returns>False if the task had already finished.</returns>
    public bool Cancel() => Source is not null && Source.Cancel(Version);

    /// <summary>The same task without its result.</summary>
    public static implicit operator LoopTask(LoopTask<TResult> task) =>
        task.Source is null ? default : new LoopTask(task.Source, task.Version);

    /// <summary>The same task without its result.</summary>
    public LoopTask AsLoopTask() => this;

    /// <summary>Gets an awaiter; used by <c>await</c>.</summary>
    public Awaiter GetAwaiter() => new(this);

    /// <summary>A <see cref="Task{TResult}"/> that completes the same way, for code on other threads.</summary>
    public Task<TResult> AsTask()
    {
        if (Source is null) return Task.FromResult(_result!);
        var tcs = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Source.OnCompletedInline(static state =>
        {
            var (source, version, completion) = ((LoopTaskSource<TResult>, int, TaskCompletionSource<TResult>))state!;
            source.CopyOutcomeTo(version, completion);
        }, (Source, Version, tcs), Version);
        return tcs.Task;
    }

    /// <summary>Awaits a <see cref="LoopTask{TResult}"/>.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly LoopTask<TResult> _task;

        internal Awaiter(LoopTask<TResult> task) => _task = task;

        /// <summary>True once the task has finished.</summary>
        public bool IsCompleted => _task.IsCompleted;

        /// <summary>Returns the result, or throws what the task ended with.</summary>
        public TResult GetResult()
        {
            AsyncMethodContext.ThrowIfCancelPending();
            return _task.Result;
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
