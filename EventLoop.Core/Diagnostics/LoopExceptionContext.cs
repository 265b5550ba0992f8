namespace EventLoop;

/// <summary>What the loop's exception handler is told about an exception nobody else could handle.</summary>
public sealed class LoopExceptionContext
{
    /// <summary>Creates a context.</summary>
    public LoopExceptionContext(string message, Exception? exception, string? source)
    {
        Message = message;
        Exception = exception;
        Source = source;
    }

    /// <summary>What happened, e.g. "Exception in callback".</summary>
    public string Message { get; }

    /// <summary>The exception, if there was one.</summary>
    public Exception? Exception { get; }

    /// <summary>Who it came from: a callback's method, a task's async method, a socket.</summary>
    public string? Source { get; }

    /// <inheritdoc />
    public override string ToString() => Source is null ? Message : $"{Message} ({Source})";
}
