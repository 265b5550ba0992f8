using System.Net.Sockets;

namespace EventLoop;

public sealed partial class Loop
{
    private readonly Dictionary<Socket, SocketRegistration> _registrations = new(ReferenceEqualityComparer.Instance);

    // Registrations whose socket has nothing registered any more, kept for the next AddReader:
    // code that waits one read at a time (socket awaits) removes and adds a reader per message.
    private readonly Stack<SocketRegistration> _spareRegistrations = new();
    private const int MaxSpareRegistrations = 64;

    /// <summary>
    /// Calls <paramref name="callback"/> in every iteration in which <paramref name="socket"/> is
    /// readable (level-triggered: until the data is read or the reader removed). A socket has one
    /// reader: adding another replaces it. Remove it before closing the socket. Loop thread only.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket is already disposed.</exception>
    public void AddReader(Socket socket, Action callback)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(callback);
        ObjectDisposedException.ThrowIf(socket.SafeHandle.IsClosed, socket);
        CheckThread();
        var registration = GetOrAddRegistration(socket);
        registration.Reader = callback;
        registration.ReadPending = false;
        UpdateRegistration(registration);
    }

    /// <summary>
    /// Like <see cref="AddReader"/>, but the reader is also called when the socket has only an
    /// error pending (POLLERR), which a plain reader never sees through Socket.Select: a UDP
    /// socket's ICMP "port unreachable", for example.
    /// </summary>
    internal void AddReaderWatchingErrors(Socket socket, Action callback)
    {
        AddReader(socket, callback);
        var registration = _registrations[socket];
        registration.WatchErrors = true;
        UpdateRegistration(registration);
    }

    /// <summary>Stops calling the socket's reader; a call already queued for this iteration is dropped.</summary>
    /// <returns>False if the socket had no reader.</returns>
    public bool RemoveReader(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        CheckThread();
        if (!_registrations.TryGetValue(socket, out var registration) || registration.Reader is null) return false;
        registration.Reader = null;
        registration.ReadPending = false;
        registration.WatchErrors = false;
        UpdateRegistration(registration);
        return true;
    }

    /// <summary>
    /// Calls <paramref name="callback"/> in every iteration in which <paramref name="socket"/> is
    /// writable (or a pending connect on it has finished, successfully or not). One writer a
    /// socket: adding another replaces it. Loop thread only.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket is already disposed.</exception>
    public void AddWriter(Socket socket, Action callback)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(callback);
        ObjectDisposedException.ThrowIf(socket.SafeHandle.IsClosed, socket);
        CheckThread();
        var registration = GetOrAddRegistration(socket);
        registration.Writer = callback;
        registration.WritePending = false;
        UpdateRegistration(registration);
    }

    /// <summary>Stops calling the socket's writer; a call already queued for this iteration is dropped.</summary>
    /// <returns>False if the socket had no writer.</returns>
    public bool RemoveWriter(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        CheckThread();
        if (!_registrations.TryGetValue(socket, out var registration) || registration.Writer is null) return false;
        registration.Writer = null;
        registration.WritePending = false;
        UpdateRegistration(registration);
        return true;
    }

    /// <summary>Number of sockets with a reader or a writer (the wake-up socket not counted).</summary>
    public int RegisteredSocketCount => _registrations.Count;

    private SocketRegistration GetOrAddRegistration(Socket socket)
    {
        if (!_registrations.TryGetValue(socket, out var registration))
        {
            registration = (_spareRegistrations.TryPop(out var spare) ? spare : new SocketRegistration()).For(socket);
            _registrations.Add(socket, registration);
        }
        return registration;
    }

    private void UpdateRegistration(SocketRegistration registration)
    {
        var interest = registration.Interest;
        if ((interest & (SelectorInterest.Read | SelectorInterest.Write)) == SelectorInterest.None)
        {
            _selector.Unregister(registration.Socket);
            _registrations.Remove(registration.Socket);
            // Safe to reuse at once: a call to it still queued in this iteration finds its
            // pending flag cleared (by the removal, and again by For) and does nothing.
            if (_spareRegistrations.Count < MaxSpareRegistrations) _spareRegistrations.Push(registration.For(null!));
        }
        else
        {
            _selector.Register(registration.Socket, interest, registration);
        }
    }

    /// <summary>Step 3a: queue the callbacks of the sockets the selector reported.</summary>
    private void QueueReadySockets(List<SelectorEvent> events)
    {
        foreach (var ready in events)
        {
            if (ready.State == _wakeup)
            {
                _wakeup.Acknowledge();
                continue;
            }
            var registration = (SocketRegistration)ready.State;
            if ((ready.Ready & SelectorInterest.Closed) != 0)
            {
                ForgetClosedSocket(registration);
                continue;
            }
            if ((ready.Ready & SelectorInterest.Read) != 0 && registration.Reader is not null && !registration.ReadPending)
            {
                registration.ReadPending = true;
                _ready.Enqueue(new ReadyItem(SocketRegistration.RunReader, registration));
            }
            if ((ready.Ready & SelectorInterest.Write) != 0 && registration.Writer is not null && !registration.WritePending)
            {
                registration.WritePending = true;
                _ready.Enqueue(new ReadyItem(SocketRegistration.RunWriter, registration));
            }
        }
        events.Clear();
    }

    private void ForgetClosedSocket(SocketRegistration registration)
    {
        string who = DescribeDelegate(registration.Reader ?? registration.Writer);
        registration.Reader = null;
        registration.Writer = null;
        registration.ReadPending = registration.WritePending = false;
        _registrations.Remove(registration.Socket);
        ReportException(new LoopExceptionContext(
            "A socket was closed while still registered with the loop; its reader and writer were removed. Remove them before closing the socket.",
            new ObjectDisposedException(nameof(Socket)), who));
    }
}
