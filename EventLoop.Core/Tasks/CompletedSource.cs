namespace EventLoop;

/// <summary>A source that is completed once, at creation time (a method that failed before suspending, <see cref="LoopTask.FromException"/>).</summary>
internal sealed class CompletedSource<TResult> : LoopTaskSource<TResult>
{
    protected override bool RequestCancel() => false;
}
