using System.Runtime.InteropServices;

namespace EventLoop;

public sealed partial class Loop
{
    /// <summary>
    /// Runs <paramref name="callback"/> on the loop each time the process receives
    /// <paramref name="signal"/> (asyncio's <c>add_signal_handler</c>). The runtime delivers
    /// signals on a thread of its own; the registration only hands the callback to the loop
    /// (waking it) and suppresses the signal's default action, such as terminating on SIGINT.
    /// Dispose the result to remove the handler. Loop thread only.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The platform cannot deliver that signal.</exception>
    public IDisposable AddSignalHandler(PosixSignal signal, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        CheckThread();
        return PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            TryPost(InvokeAction, callback);
        });
    }
}
