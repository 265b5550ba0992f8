using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>
/// What <see cref="Loop.Yield"/> returns: awaiting it gives up the rest of this iteration and
/// resumes in the next one (asyncio's <c>sleep(0)</c>), letting other ready callbacks and I/O run.
/// </summary>
public readonly struct YieldAwaitable
{
    private readonly Loop _loop;

    internal YieldAwaitable(Loop loop) => _loop = loop;

    /// <summary>Gets an awaiter; used by <c>await</c>.</summary>
    public Awaiter GetAwaiter() => new(_loop);

    /// <summary>Awaits a <see cref="YieldAwaitable"/>.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private static readonly Action<object?> Invoke = static state => ((Action)state!).Invoke();
        private readonly Loop _loop;

        internal Awaiter(Loop loop) => _loop = loop;

        /// <summary>Always false: yielding always suspends.</summary>
        public bool IsCompleted => false;

        /// <summary>Raises a cancellation requested while the task was suspended here.</summary>
        public void GetResult() => AsyncMethodContext.ThrowIfCancelPending();

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation)
        {
            if (!_loop.TryPost(Invoke, continuation))
                throw new ObjectDisposedException(nameof(Loop), "The loop was disposed.");
        }
    }
}
