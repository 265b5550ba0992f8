namespace EventLoop;

/// <summary>
/// One callback waiting in the ready queue. A static delegate plus a state object lets every
/// kind of work (a user's Action, an await continuation, a readiness callback, a timer) share
/// one allocation-free shape.
/// </summary>
internal readonly struct ReadyItem(Action<object?> callback, object? state)
{
    public readonly Action<object?> Callback = callback;
    public readonly object? State = state;
}
