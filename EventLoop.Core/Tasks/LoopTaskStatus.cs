namespace EventLoop;

/// <summary>Where a <see cref="LoopTask"/> is in its life.</summary>
public enum LoopTaskStatus
{
    /// <summary>Not finished yet.</summary>
    Pending,
    /// <summary>Finished with a result (or, for <see cref="LoopTask"/>, without an exception).</summary>
    RanToCompletion,
    /// <summary>Finished with an exception other than <see cref="OperationCanceledException"/>.</summary>
    Faulted,
    /// <summary>Finished with an <see cref="OperationCanceledException"/>, usually after <see cref="LoopTask.Cancel"/>.</summary>
    Canceled,
}
