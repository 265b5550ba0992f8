using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>The parts of <see cref="LoopTaskMethodBuilder"/> and <see cref="LoopTaskMethodBuilder{TResult}"/> that are the same.</summary>
internal static class MethodBuilderCore
{
    public static void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        // The new method has no box yet: a pending cancellation of the caller must not be
        // raised inside the callee's synchronous part.
        var previous = AsyncMethodContext.Current;
        AsyncMethodContext.Current = null;
        try
        {
            // AsyncTaskMethodBuilder.Start only runs the first MoveNext with the caller's
            // ExecutionContext and SynchronizationContext restored afterwards; it creates no Task.
            AsyncTaskMethodBuilder.Create().Start(ref stateMachine);
        }
        finally
        {
            AsyncMethodContext.Current = previous;
        }
    }

    /// <summary>
    /// A cancel that could not be delivered to an await (the method was waiting on a plain Task)
    /// and that no later await of ours raised: the method returns now, so the task ends cancelled.
    /// </summary>
    public static OperationCanceledException? TakePendingCancel(LoopTaskSource? source)
    {
        if (source is not IAsyncMethodBox { CancelPending: true } box) return null;
        box.CancelPending = false;
        return new OperationCanceledException("The task was cancelled.");
    }

    /// <summary>Fails the method's task; a method that failed before its first suspension gets a completed source.</summary>
    public static void SetException<TResult>(ref LoopTaskSource<TResult>? source, Exception exception)
    {
        if (source is null)
        {
            var failed = new CompletedSource<TResult>();
            failed.TrySetException(exception);
            source = failed;
        }
        else
        {
            source.TrySetException(exception);
        }
    }

    public static StateMachineBox<TStateMachine, TResult> GetBox<TStateMachine, TResult>(
        ref TStateMachine stateMachine, ref LoopTaskSource<TResult>? source)
        where TStateMachine : IAsyncStateMachine
    {
        if (source is StateMachineBox<TStateMachine, TResult> existing)
        {
            existing.OnSuspending();
            return existing;
        }
        var box = StateMachineBox<TStateMachine, TResult>.Rent();
        // Order matters: the builder (inside stateMachine) must point at the box before the
        // state machine is copied into it, so the copy that resumes completes the same box.
        source = box;
        box.StateMachine = stateMachine;
        box.OnSuspending();
        return box;
    }
}
