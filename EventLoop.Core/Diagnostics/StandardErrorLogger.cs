using Microsoft.Extensions.Logging;

namespace EventLoop;

/// <summary>
/// The logger a loop uses when none is configured: warnings and errors to standard error, so
/// an exception escaping a callback is never silently lost (asyncio's default does the same).
/// The library may depend only on the logging abstractions, hence this one small class.
/// </summary>
internal sealed class StandardErrorLogger : ILogger
{
    public static readonly StandardErrorLogger Instance = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        string text = $"EventLoop {logLevel}: {formatter(state, exception)}";
        if (exception is not null) text += Environment.NewLine + exception;
        Console.Error.WriteLine(text);
    }
}
