namespace EventLoop;

/// <summary>
/// What an awaiter needs from the async method that is awaiting it: where to forward a
/// cancellation, and whether one is pending. Awaiters find the box through the continuation
/// delegate they are handed (its target is the box).
/// </summary>
internal interface IAsyncMethodBox
{
    /// <summary>Records what the method is suspended on, so <see cref="LoopTask.Cancel"/> can reach it.</summary>
    void SetAwaiting(LoopTaskSource source, int version);

    /// <summary>True when a cancellation was requested that could not be delivered to an awaited operation yet.</summary>
    bool CancelPending { get; set; }
}
