using System.Runtime.CompilerServices;

namespace EventLoop;

/// <summary>
/// The heap home of a suspended async method (the compiler's state machine is a struct until
/// its first real suspension). It is the <see cref="LoopTaskSource"/> the method's task points
/// at, it resumes the method when an awaited operation completes, and it forwards
/// <see cref="LoopTask.Cancel"/> to whatever the method is suspended on.
/// </summary>
/// <remarks>
/// Boxes of <see cref="LoopTask"/> methods are pooled per method and per thread: once a successful
/// run's completion has been taken by its awaiter, the box goes back to a small free list, so a
/// steady stream of calls that suspend allocates nothing. Boxes of <see cref="LoopTask{T}"/>
/// methods are not pooled, because a stale copy of the task must still be able to read its result.
/// </remarks>
internal sealed class StateMachineBox<TStateMachine, TResult> : LoopTaskSource<TResult>, IAsyncMethodBox
    where TStateMachine : IAsyncStateMachine
{
    private const int MaxPooledPerThread = 256;
    private static readonly ContextCallback RunStateMachine = static box => ((StateMachineBox<TStateMachine, TResult>)box!).StateMachine!.MoveNext();

    [ThreadStatic] private static StateMachineBox<TStateMachine, TResult>? t_poolHead;
    [ThreadStatic] private static int t_poolCount;

    private StateMachineBox<TStateMachine, TResult>? _nextInPool;
    private ExecutionContext? _context;
    private LoopTaskSource? _awaiting;
    private int _awaitingVersion;

    /// <summary>The method's state, copied here at its first suspension.</summary>
    public TStateMachine? StateMachine;

    /// <summary>Cached so that every suspension hands the same delegate to its awaiter.</summary>
    public readonly Action MoveNextAction;

    private StateMachineBox() => MoveNextAction = MoveNext;

    public bool CancelPending { get; set; }

    private static bool IsPooled => typeof(TResult) == typeof(VoidResult);

    public static StateMachineBox<TStateMachine, TResult> Rent()
    {
        if (IsPooled && t_poolHead is { } box)
        {
            t_poolHead = box._nextInPool;
            box._nextInPool = null;
            t_poolCount--;
            return box;
        }
        return new StateMachineBox<TStateMachine, TResult>();
    }

    /// <summary>Called at every suspension: remembers the flowing ExecutionContext (AsyncLocal values) and the loop.</summary>
    public void OnSuspending()
    {
        // The default context (no AsyncLocal values) needs no restoring: resume directly, as
        // the runtime's own async method box does. Only a context with values is re-entered.
        var context = ExecutionContext.Capture();
        _context = ReferenceEquals(context, DefaultExecutionContext.Instance) ? null : context;
        OwnerLoop ??= Loop.Current;
    }

    private void MoveNext()
    {
        var previous = AsyncMethodContext.Current;
        AsyncMethodContext.Current = this;
        _awaiting = null;
        OwnerLoop = Loop.Current ?? OwnerLoop;
        try
        {
            if (_context is null) StateMachine!.MoveNext();
            else ExecutionContext.Run(_context, RunStateMachine, this);
        }
        finally
        {
            AsyncMethodContext.Current = previous;
        }
    }

    public void SetAwaiting(LoopTaskSource source, int version)
    {
        _awaiting = source;
        _awaitingVersion = version;
        if (CancelPending && source.Cancel(version)) CancelPending = false;
    }

    protected override bool RequestCancel()
    {
        // Deliver the cancellation to the operation the method is suspended on; it completes
        // as cancelled and the OperationCanceledException surfaces at that await. If there is
        // no such operation (the method waits on a plain Task, or is already queued to
        // resume), it is raised at the method's next await of ours instead.
        if (_awaiting is { } awaiting && awaiting.Cancel(_awaitingVersion)) return true;
        CancelPending = true;
        return true;
    }

    internal override void OnResultConsumed(int version)
    {
        if (!IsPooled || version != Version || SpawnedBy is not null) return;
        StateMachine = default;
        _context = null;
        _awaiting = null;
        CancelPending = false;
        ClearResult();
        ResetForReuse();
        if (t_poolCount < MaxPooledPerThread)
        {
            _nextInPool = t_poolHead;
            t_poolHead = this;
            t_poolCount++;
        }
    }

    internal override string Describe() => AsyncMethodNames.Of(typeof(TStateMachine));
}
