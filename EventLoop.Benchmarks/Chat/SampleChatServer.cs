using System.Net;
using EventLoop.Samples.Chat;
using Microsoft.Extensions.Logging;

namespace EventLoop.Benchmarks.Chat;

/// <summary>
/// A chat sample exactly as its sub-command runs it — <see cref="ChatSample.RunAsync"/> or
/// <see cref="ChatProtocolSample.RunAsync"/> on a fresh <see cref="Loop"/> with console logging —
/// on a thread of its own. It announces itself on standard output ("chat listening on ..."), which
/// is how the generator learns the port. Dispose stops it the way Ctrl+C does: the main task is
/// cancelled on the loop and the sample says goodbye and closes every client.
/// </summary>
internal sealed class SampleChatServer : IChatServer
{
    private readonly Thread _thread;
    private readonly TaskCompletionSource<Loop> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopTask _main;
    private Exception? _failure;

    public SampleChatServer(ChatServerKind kind, int port)
    {
        _thread = new Thread(() => Serve(kind, new IPEndPoint(IPAddress.Loopback, port))) { Name = kind.Name(), IsBackground = true };
        _thread.Start();
        _started.Task.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
    }

    private void Serve(ChatServerKind kind, EndPoint endpoint)
    {
        try
        {
            // Warnings and errors only (a slow-consumer cut shows), on standard error: standard
            // output is the control channel. The per-join information lines stay out of the run.
            using var logging = LoggerFactory.Create(builder => builder
                .SetMinimumLevel(LogLevel.Warning)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var loop = new Loop(new LoopOptions { LoggerFactory = logging });
            loop.Run(async () =>
            {
                _main = kind == ChatServerKind.Chat
                    ? ChatSample.RunAsync(loop, logging, endpoint, ChatWireText.ServerName)
                    : ChatProtocolSample.RunAsync(loop, logging, endpoint, ChatWireText.ServerName);
                _started.SetResult(loop);
                try
                {
                    await _main;
                }
                catch (OperationCanceledException) when (_main.Status == LoopTaskStatus.Canceled)
                {
                    // Stopped as Ctrl+C stops it: a clean exit.
                }
            });
        }
        catch (Exception e)
        {
            _failure = e;
            if (!_started.TrySetException(e)) Console.Error.WriteLine($"{kind.Name()} failed: {e}");
        }
    }

    public bool Stop()
    {
        var loop = _started.Task.Result;
        loop.CallSoonThreadSafe(() => _main.Cancel());
        return _thread.Join(TimeSpan.FromSeconds(10)) && _failure is null;
    }

    public void Dispose()
    {
        if (_thread.IsAlive) Stop();
    }
}
