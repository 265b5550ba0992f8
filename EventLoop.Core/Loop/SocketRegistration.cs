using System.Net.Sockets;

namespace EventLoop;

/// <summary>
/// A socket's reader and writer callbacks. The pending flags make readiness callbacks
/// cancellable inside an iteration: one queued in step 3 does not run if an earlier callback of
/// the same iteration removed or replaced it (asyncio cancels the handle the same way).
/// </summary>
internal sealed class SocketRegistration
{
    public static readonly Action<object?> RunReader = static state =>
    {
        var registration = (SocketRegistration)state!;
        if (!registration.ReadPending) return;
        registration.ReadPending = false;
        registration.Reader?.Invoke();
    };

    public static readonly Action<object?> RunWriter = static state =>
    {
        var registration = (SocketRegistration)state!;
        if (!registration.WritePending) return;
        registration.WritePending = false;
        registration.Writer?.Invoke();
    };

    public Socket Socket { get; private set; } = null!;
    public Action? Reader;
    public Action? Writer;
    public bool ReadPending;
    public bool WatchErrors;
    public bool WritePending;

    /// <summary>Ready for a socket: new, or reused once its previous socket had nothing left registered.</summary>
    public SocketRegistration For(Socket socket)
    {
        Socket = socket;
        Reader = Writer = null;
        ReadPending = WritePending = WatchErrors = false;
        return this;
    }

    public SelectorInterest Interest =>
        (Reader is null ? SelectorInterest.None : SelectorInterest.Read) |
        (Writer is null ? SelectorInterest.None : SelectorInterest.Write) |
        (WatchErrors ? SelectorInterest.Error : SelectorInterest.None);
}
