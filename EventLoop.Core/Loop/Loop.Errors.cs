using Microsoft.Extensions.Logging;

namespace EventLoop;

public sealed partial class Loop
{
    private static readonly Action<ILogger, string, string?, Exception?> LogLoopException =
        LoggerMessage.Define<string, string?>(LogLevel.Error, new EventId(1, "LoopException"), "{Message} [{Source}]");

    private static readonly Action<ILogger, string, double, Exception?> LogSlow =
        LoggerMessage.Define<string, double>(LogLevel.Warning, new EventId(2, "SlowCallback"), "Executing {Callback} took {Milliseconds:F1} ms");

    private static readonly Action<ILogger, string, Exception?> LogHandlerFailed =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(3, "ExceptionHandlerFailed"), "Unhandled error in the loop's exception handler while handling: {Context}");

    /// <summary>
    /// Receives every exception that nothing else could handle: one escaping a callback, a
    /// spawned task that failed with nothing awaiting it, a socket closed while registered. The
    /// loop keeps running whatever happens. Null (the default) means
    /// <see cref="DefaultExceptionHandler"/>: log at Error through the loop's logger.
    /// </summary>
    public Action<LoopExceptionContext>? ExceptionHandler { get; set; }

    /// <summary>Hands <paramref name="context"/> to the <see cref="ExceptionHandler"/>; if that throws, the failure is logged.</summary>
    public void ReportException(LoopExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var handler = ExceptionHandler;
        if (handler is null)
        {
            DefaultExceptionHandler(context);
            return;
        }
        try
        {
            handler(context);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, context.ToString(), e);
        }
    }

    /// <summary>Logs <paramref name="context"/> at Error with its source (the callback's or task's method).</summary>
    public void DefaultExceptionHandler(LoopExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        LogLoopException(_logger, context.Message, context.Source, context.Exception);
    }

    private void LogSlowCallback(string callback, TimeSpan took) => LogSlow(_logger, callback, took.TotalMilliseconds, null);

    /// <summary>The user-facing delegate behind a ready-queue item, for messages.</summary>
    internal static Delegate? Unwrap(Action<object?> callback, object? state) => state switch
    {
        Action action when callback == InvokeAction => action,
        SocketRegistration registration when callback == SocketRegistration.RunReader => registration.Reader,
        SocketRegistration registration when callback == SocketRegistration.RunWriter => registration.Writer,
        TimerHandle timer => timer.DescribeTarget(),
        _ => callback,
    };

    private static string Describe(in ReadyItem item)
    {
        var target = Unwrap(item.Callback, item.State);
        if (target?.Target is LoopTaskSource source) return source.Describe();
        string name = DescribeDelegate(target);
        return item.State is SocketRegistration registration
            ? $"{name} (socket {SafeEndPoint(registration)})"
            : name;
    }

    private static string DescribeDelegate(Delegate? target)
    {
        if (target is null) return "(cancelled callback)";
        var method = target.Method;
        return method.DeclaringType is { } type ? $"{type.Name}.{method.Name}" : method.Name;
    }

    private static string SafeEndPoint(SocketRegistration registration)
    {
        try { return registration.Socket.LocalEndPoint?.ToString() ?? "unbound"; }
        catch (ObjectDisposedException) { return "closed"; }
    }
}
