using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>Builds the <see cref="LoopTask"/> of an <c>async LoopTask</c> method. Used by the compiler.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LoopTaskMethodBuilder
{
    private LoopTaskSource<VoidResult>? _source;

    /// <summary>Creates a builder.</summary>
    public static LoopTaskMethodBuilder Create() => default;

    /// <summary>Runs the method up to its first suspension.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        MethodBuilderCore.Start(ref stateMachine);

    /// <summary>Not used: the box is created on the first suspension.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    /// <summary>The method's task. A method that finished without suspending gets a completed task and no allocation.</summary>
    public LoopTask Task => _source is null ? default : new LoopTask(_source, _source.Version);

    /// <summary>Completes the task (cancelled instead if a cancellation is still pending, as asyncio does).</summary>
    public void SetResult()
    {
        if (MethodBuilderCore.TakePendingCancel(_source) is { } canceled) _source!.TrySetException(canceled);
        else _source?.TrySetResult(default);
    }

    /// <summary>Completes the task with an exception (an <see cref="OperationCanceledException"/> makes it Canceled).</summary>
    public void SetException(Exception exception) => MethodBuilderCore.SetException(ref _source, exception);

    /// <summary>Suspends on an awaiter.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(MethodBuilderCore.GetBox(ref stateMachine, ref _source).MoveNextAction);

    /// <summary>Suspends on an awaiter.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(MethodBuilderCore.GetBox(ref stateMachine, ref _source).MoveNextAction);
}

/// <summary>Builds the <see cref="LoopTask{TResult}"/> of an <c>async LoopTask&lt;T&gt;</c> method. Used by the compiler.</summary>
/// <typeparam name="TResult">The method's result type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct LoopTaskMethodBuilder<TResult>
{
    private LoopTaskSource<TResult>? _source;
    private TResult? _result;

    /// <summary>Creates a builder.</summary>
    public static LoopTaskMethodBuilder<TResult> Create() => default;

    /// <summary>Runs the method up to its first suspension.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        MethodBuilderCore.Start(ref stateMachine);

    /// <summary>Not used: the box is created on the first suspension.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine)
    {
    }

    /// <summary>The method's task. A method that finished without suspending carries its result inline.</summary>
    public LoopTask<TResult> Task => _source is null ? new LoopTask<TResult>(_result!) : new LoopTask<TResult>(_source, _source.Version);

    /// <summary>Completes the task with a result (cancelled instead if a cancellation is still pending, as asyncio does).</summary>
    public void SetResult(TResult result)
    {
        if (_source is null) _result = result;
        else if (MethodBuilderCore.TakePendingCancel(_source) is { } canceled) _source.TrySetException(canceled);
        else _source.TrySetResult(result);
    }

    /// <summary>Completes the task with an exception (an <see cref="OperationCanceledException"/> makes it Canceled).</summary>
    public void SetException(Exception exception) => MethodBuilderCore.SetException(ref _source, exception);

    /// <summary>Suspends on an awaiter.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(MethodBuilderCore.GetBox(ref stateMachine, ref _source).MoveNextAction);

    /// <summary>Suspends on an awaiter.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.UnsafeOnCompleted(MethodBuilderCore.GetBox(ref stateMachine, ref _source).MoveNextAction);
}
