namespace EventLoop;

public sealed partial class Loop
{
    // Step 5's work: one-shot callbacks run after the iteration's callbacks, before the next wait.
    private readonly ReadyQueue _atIterationEnd = new();

    /// <summary>
    /// Runs <paramref name="callback"/> once at the end of the current iteration (step 5 of
    /// <see cref="RunOnce"/>): after every callback of step 4, before the loop waits again — Redis's
    /// <c>beforeSleep</c>. It is where a transport flushes what was written during the iteration,
    /// so many writes cost one send. Callbacks run in registration order; one registered while
    /// step 5 runs waits for the end of the next iteration, and what a callback queues with
    /// <see cref="CallSoon(Action)"/> runs in the next iteration. Registered outside a running
    /// iteration, it runs at the end of the next one, and that iteration does not wait.
    /// Allocation-free with a static callback; keep a flag in <paramref name="state"/> if it
    /// must not be registered twice. An exception goes to the <see cref="ExceptionHandler"/>.
    /// Loop thread only.
    /// </summary>
    public void CallAtIterationEnd(Action<object?> callback, object? state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckThread();
        _atIterationEnd.Enqueue(new ReadyItem(callback, state));
    }

    /// <summary>Step 5: exactly the end-of-iteration callbacks registered when it began.</summary>
    private void RunIterationEndCallbacks() => RunQueuedNow(_atIterationEnd);
}
