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
/// <para><b>Dormant registrations.</b> Code that waits once at a time (socket awaits, asyncio's
/// <c>sock_recv</c> style) unregisters a socket as soon as it is ready and registers it again a
/// moment later; at one epoll_ctl each way that was a fifth of such a server's CPU. So
/// <see cref="Unregister"/> leaves a socket watched for reading in the kernel's set for one more wait: a
/// <see cref="Register"/> in that time takes it back without a system call. A dormant socket is
/// never reported; it is removed from the kernel if an event arrives for it, when it has been
/// dormant through a whole wait, or, if it was disposed meanwhile (closing removes it from the
/// kernel's set), simply forgotten — it was unregistered first, so that is no error.</para>
/// </remarks>
public sealed class EpollSelector : ISelector
{
    /// <summary>How many registrations each <see cref="Select"/> checks for a disposed socket.</summary>
    public const int ClosedChecksPerSelect = 64;

    private const int InitialEventCapacity = 64;
    private const int MaxEventCapacity = 4096;

    private readonly SafeEpollHandle _epoll;
    private readonly Dictionary<Socket, EpollRegistration> _bySocket = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Socket, EpollRegistration> _dormant = new(ReferenceEqualityComparer.Instance);
    private readonly EpollSlots _slots = new();
    private readonly byte[] _oneEvent = new byte[EpollNative.EventSize];
    private byte[] _events = new byte[InitialEventCapacity * EpollNative.EventSize];
    private int _sweepCursor;
    private long _waits;
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

        uint events = ToEpollEvents(interest);
        if (!_bySocket.TryGetValue(socket, out var registration))
        {
            registration = Revive(socket) ?? Add(socket, handle, events);
            _bySocket.Add(socket, registration);
        }
        if (events != registration.KernelEvents)
        {
            try
            {
                Control(EpollNative.CtlMod, registration, events);
            }
            catch when (registration.Interest == SelectorInterest.None)
            {
                // A revived registration the kernel refused: drop it rather than keep a
                // registration with no state.
                _bySocket.Remove(socket);
                Retire(registration);
                throw;
            }
            registration.KernelEvents = events;
        }
        registration.Interest = interest;
        registration.State = state;
    }

    /// <summary>epoll_ctl calls made so far: lets a test see that a dormant registration saves them.</summary>
    internal long KernelCalls { get; private set; }

    private EpollRegistration Add(Socket socket, SafeSocketHandle handle, uint events)
    {
        var registration = new EpollRegistration(socket, handle);
        registration.Token = _slots.Add(registration);
        Control(EpollNative.CtlAdd, registration, events);
        registration.KernelEvents = events;
        return registration;
    }

    /// <summary>Takes back a dormant registration of this (still open) socket: the kernel still watches it.</summary>
    private EpollRegistration? Revive(Socket socket)
    {
        if (!_dormant.Remove(socket, out var registration)) return null;
        registration.Dormant = false;
        return registration;
    }

    /// <inheritdoc />
    public void Unregister(Socket socket)
    {
        if (!_bySocket.Remove(socket, out var registration)) return;
        registration.Interest = SelectorInterest.None;
        registration.State = null!;
        if (_disposed || registration.Handle.IsClosed)
        {
            Forget(registration);
            return;
        }
        if ((registration.KernelEvents & EpollNative.Out) != 0)
        {
            // A socket watched for writing is nearly always writable once its writer is done:
            // kept, it would end the next wait at once. Writers come and go rarely anyway.
            Retire(registration);
            return;
        }
        registration.Dormant = true;
        registration.DormantSince = _waits;
        _dormant.Add(socket, registration);
    }

    /// <summary>Removes a dormant registration from the kernel and from this selector.</summary>
    private void Retire(EpollRegistration registration)
    {
        _dormant.Remove(registration.Socket);
        registration.Dormant = false;
        if (!registration.Handle.IsClosed)
        {
            KernelCalls++;
            EpollNative.Control(_epoll, EpollNative.CtlDel, registration.Fd, _oneEvent);
        }
        Forget(registration);
    }

    /// <summary>
    /// Drops a registration without asking the kernel: its descriptor is closed, so it has left
    /// the epoll set already, and its number may belong to a new socket by now.
    /// </summary>
    private void Forget(EpollRegistration registration) => _slots.Remove(registration.Token);

    /// <summary>Retires the registrations that stayed dormant through a whole wait.</summary>
    private void RetireStaleDormant()
    {
        // Removing from a Dictionary while enumerating it is allowed (since .NET Core 3.0).
        foreach (var registration in _dormant.Values)
            if (registration.DormantSince < _waits - 1) Retire(registration);
    }

    /// <inheritdoc />
    public void Select(TimeSpan timeout, List<SelectorEvent> ready)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_bySocket.Count == 0)
            throw new InvalidOperationException("Nothing is registered: a wait could never end.");

        _waits++;
        if (_dormant.Count > 0) RetireStaleDormant();
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
            if (registration.Dormant)
            {
                Retire(registration); // nobody wants it, and level-triggered it would wake every wait
                continue;
            }
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
            if (registration.Dormant)
            {
                Retire(registration); // unregistered before it was disposed: nothing to report
                continue;
            }
            _bySocket.Remove(registration.Socket);
            Forget(registration);
            ready.Add(new SelectorEvent(registration.State, SelectorInterest.Closed));
        }
    }

    private void Control(int op, EpollRegistration registration, uint events)
    {
        EpollNative.WriteEvent(_oneEvent, 0, events, registration.Token);
        KernelCalls++;
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
        _dormant.Clear();
        _epoll.Dispose();
    }
}
