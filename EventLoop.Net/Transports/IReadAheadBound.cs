namespace EventLoop.Net;

/// <summary>
/// A protocol that bounds what it buffers unread (a <see cref="Connection"/>: twice its Limit).
/// A stream transport never hands it more in one read than <see cref="RemainingReadAhead"/>, so
/// the bound holds exactly instead of being overshot by one large receive.
/// </summary>
internal interface IReadAheadBound
{
    /// <summary>How many more bytes the protocol takes now; the transport reads at least one.</summary>
    int RemainingReadAhead { get; }
}
