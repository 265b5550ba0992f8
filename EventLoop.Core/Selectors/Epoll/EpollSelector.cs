using System.Net.Sockets;

namespace EventLoop;

/// <summary>
/// A Linux selector over epoll: sockets are registered with the kernel once, and a wait returns
/// only the ready ones, so the cost of an iteration follows the sockets that have something to
/// do, not every socket registered (as <see cref="SocketSelectSelector"/>'s must), and a wait
/// allocates nothing however many sockets are watched. Level-triggered, like poll(), so it is a
/// drop-in replacement. Used from the loop thread only.
/// </summary>
/// <remarks>
/// The kernel forgets a descriptor when it is closed. A socket disposed while still registered
/// (a caller's bug) is therefore found by checking registrations for closed handles, a bounded
/// number per wait (<see cref="ClosedChecksPerSelect"/>, round-robin), and reported as
/// <see cref="SelectorInterest.Closed"/>; it is never removed from the kernel by number, because
/// a new socket may already have been given that number.
/// </remarks>
public sealed class EpollSelector : ISelector
{
    /// <summary>How many registrations each <see cref="Select"/> checks for a disposed socket.</summary>
    public const int ClosedChecksPerSelect = 64;

    private const int InitialEventCapacity = 64;
    private const int MaxEventCapacity = 4096;

    private readonly SafeEpollHandle _epoll;
    private readonly Dictionary<Socket, EpollRegistration> _bySocket = new(ReferenceEqualityComparer.Instance);
    private readonly EpollSlots _slots = new();
    private readonly byte[] _oneEvent = new byte[EpollNative.EventSize];
    private byte[] _events = new byte[InitialEventCapacity * EpollNative.EventSize];
    private int _sweepCursor;
    private bool _disposed;

    /// <summary>True where this selector works (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Creates the epoll instance.</summary>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public EpollSelector()
    {
        if (!IsSupported) throw new PlatformNotSupportedException("epoll exists on Linux only; use SocketSelectSelector (DefaultSelector.Create picks for you).");
        _epoll = EpollNative.Create();
    }

    /// <inheritdoc />
    public int Count => _bySocket.Count;

    /// <inheritdoc />
    /// <exception cref="ObjectDisposedException">The socket is disposed.</exception>
    public void Register(Socket socket, SelectorInterest interest, object state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        interest = RegisterArguments.Validate(socket, interest, state);
        if (interest == SelectorInterest.None)
        {
            Unregister(socket);
            return;
        }
        var handle = socket.SafeHandle;
        ObjectDisposedException.ThrowIf(handle.IsClosed, socket);

        bool added = !_bySocket.TryGetValue(socket, out var registration);
        registration ??= new EpollRegistration(socket, handle);
        uint events = ToEpollEvents(interest);
        if (added || events != registration.KernelEvents)
        {
            if (added) registration.Token = _slots.Add(registration);
            Control(added ? EpollNative.CtlAdd : EpollNative.CtlMod, registration, events);
            registration.KernelEvents = events;
            if (added) _bySocket.Add(socket, registration);
        }
        registration.Interest = interest;
        registration.State = state;
    }

    /// <inheritdoc />
    public void Unregister(Socket socket)
    {
        if (!_bySocket.Remove(socket, out var registration)) return;
        _slots.Remove(registration.Token);
        // A closed descriptor has already left the epoll set, and its number may belong to a new
        // socket by now: never remove by number once the handle is closed.
        if (!_disposed && !registration.Handle.IsClosed)
            EpollNative.Control(_epoll, EpollNative.CtlDel, registration.Fd, _oneEvent);
    }

    /// <inheritdoc />
    public void Select(TimeSpan timeout, List<SelectorEvent> ready)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_bySocket.Count == 0)
            throw new InvalidOperationException("Nothing is registered: a wait could never end.");

        ReportClosedSockets(ready);
        int timeoutMilliseconds = ready.Count > 0 ? 0 : ToMilliseconds(timeout);
        int maxEvents = _events.Length / EpollNative.EventSize;
        int n = EpollNative.Wait(_epoll, _events, maxEvents, timeoutMilliseconds);
        if (n < 0)
        {
            if (-n == EpollNative.Eintr) return; // a signal: the loop simply iterates again
            throw EpollNative.Error("epoll_wait", -n);
        }
        for (int i = 0; i < n; i++)
        {
            var (flags, data) = EpollNative.ReadEvent(_events, i);
            if (_slots.Find(data) is not { } registration) continue; // unregistered since it was queued
            var what = ToInterest(flags, registration.Interest);
            if (what != SelectorInterest.None) ready.Add(new SelectorEvent(registration.State, what));
        }
        // A full buffer means more may be ready: take more at once next time (level-triggered,
        // so nothing left behind is lost meanwhile).
        if (n == maxEvents && maxEvents < MaxEventCapacity) _events = new byte[maxEvents * 2 * EpollNative.EventSize];
    }

    /// <summary>Checks the next few registrations for sockets disposed without being unregistered.</summary>
    private void ReportClosedSockets(List<SelectorEvent> ready)
    {
        int checks = Math.Min(ClosedChecksPerSelect, _slots.Capacity);
        for (int i = 0; i < checks; i++)
        {
            if (_sweepCursor >= _slots.Capacity) _sweepCursor = 0;
            var registration = _slots.At(_sweepCursor++);
            if (registration is null || !registration.Handle.IsClosed) continue;
            Unregister(registration.Socket);
            ready.Add(new SelectorEvent(registration.State, SelectorInterest.Closed));
        }
    }

    private void Control(int op, EpollRegistration registration, uint events)
    {
        EpollNative.WriteEvent(_oneEvent, 0, events, registration.Token);
        int errno = EpollNative.Control(_epoll, op, registration.Fd, _oneEvent);
        if (errno == 0) return;
        if (op == EpollNative.CtlAdd)
        {
            _slots.Remove(registration.Token);
            throw EpollNative.Error("epoll_ctl(ADD)", errno);
        }
        throw EpollNative.Error("epoll_ctl(MOD)", errno);
    }

    private static uint ToEpollEvents(SelectorInterest interest) =>
        ((interest & SelectorInterest.Read) != 0 ? EpollNative.In : 0) |
        ((interest & SelectorInterest.Write) != 0 ? EpollNative.Out : 0);

    /// <summary>
    /// What to report: readable and writable as asked; an error or hang-up wakes whatever waits,
    /// whose next call then meets it (epoll always reports these, which is why
    /// <see cref="SelectorInterest.Error"/> needs nothing extra here).
    /// </summary>
    private static SelectorInterest ToInterest(uint flags, SelectorInterest interest)
    {
        var wanted = interest & (SelectorInterest.Read | SelectorInterest.Write);
        if ((flags & (EpollNative.Err | EpollNative.Hup)) != 0) return wanted;
        var what = SelectorInterest.None;
        if ((flags & EpollNative.In) != 0) what |= SelectorInterest.Read;
        if ((flags & EpollNative.Out) != 0) what |= SelectorInterest.Write;
        return what & wanted;
    }

    /// <summary>Rounded up to whole milliseconds, as <see cref="SelectTimeout"/> does for poll().</summary>
    private static int ToMilliseconds(TimeSpan timeout)
    {
        int microseconds = SelectTimeout.ToMicroseconds(timeout);
        return microseconds < 0 ? -1 : microseconds / 1000;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _bySocket.Clear();
        _epoll.Dispose();
    }
}
