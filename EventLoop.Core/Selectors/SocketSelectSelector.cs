using System.Net.Sockets;

namespace EventLoop;

/// <summary>
/// The portable selector (the default where epoll is not available) over <see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>.
/// Socket.Select filters its lists in place, so they are rebuilt before every call: the cost of
/// one select grows with the number of registered sockets, not with the ready ones. The lists
/// are reused, so the steady state allocates nothing of its own (on Unix, Socket.Select itself
/// allocates its poll array once 80 or more sockets are passed).
/// </summary>
public sealed class SocketSelectSelector : ISelector
{
    private readonly record struct Entry(Socket Socket, SelectorInterest Interest, object State);

    private readonly List<Entry> _entries = new();
    private readonly Dictionary<Socket, int> _indexBySocket = new(ReferenceEqualityComparer.Instance);
    private readonly List<Socket> _readList = new();
    private readonly List<Socket> _writeList = new();
    private readonly List<Socket> _errorList = new();
    private bool _disposed;

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public void Register(Socket socket, SelectorInterest interest, object state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        interest = RegisterArguments.Validate(socket, interest, state);
        if (interest == SelectorInterest.None)
        {
            Unregister(socket);
            return;
        }
        if (_indexBySocket.TryGetValue(socket, out int index))
        {
            _entries[index] = new Entry(socket, interest, state);
        }
        else
        {
            _indexBySocket.Add(socket, _entries.Count);
            _entries.Add(new Entry(socket, interest, state));
        }
    }

    /// <inheritdoc />
    public void Unregister(Socket socket)
    {
        if (!_indexBySocket.Remove(socket, out int index)) return;
        int last = _entries.Count - 1;
        if (index != last)
        {
            var moved = _entries[last];
            _entries[index] = moved;
            _indexBySocket[moved.Socket] = index;
        }
        _entries.RemoveAt(last);
    }

    /// <inheritdoc />
    public void Select(TimeSpan timeout, List<SelectorEvent> ready)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_entries.Count == 0)
            throw new InvalidOperationException("Nothing is registered: Socket.Select cannot wait on empty lists.");

        FillLists();
        try
        {
            Socket.Select(_readList, _writeList, _errorList.Count > 0 ? _errorList : null, SelectTimeout.ToMicroseconds(timeout));
        }
        catch (ObjectDisposedException)
        {
            // A socket was closed while still registered. Drop every such socket, report it so
            // its owner learns of it, and let the next iteration select on the rest.
            DropDisposedSockets(ready);
            return;
        }

        foreach (var socket in _readList) Report(socket, SelectorInterest.Read, ready);
        foreach (var socket in _writeList) Report(socket, SelectorInterest.Write, ready);
        // An error is readiness for whatever waits: the reader's or writer's next call meets
        // it. (Windows reports a failed non-blocking connect only here.)
        foreach (var socket in _errorList)
        {
            if (_indexBySocket.TryGetValue(socket, out int index))
                ready.Add(new SelectorEvent(_entries[index].State, _entries[index].Interest & (SelectorInterest.Read | SelectorInterest.Write)));
        }
    }

    private void FillLists()
    {
        _readList.Clear();
        _writeList.Clear();
        _errorList.Clear();
        foreach (var entry in _entries)
        {
            if ((entry.Interest & SelectorInterest.Read) != 0) _readList.Add(entry.Socket);
            if ((entry.Interest & SelectorInterest.Write) != 0) _writeList.Add(entry.Socket);
            if ((entry.Interest & SelectorInterest.Error) != 0 ||
                (OperatingSystem.IsWindows() && (entry.Interest & SelectorInterest.Write) != 0))
            {
                _errorList.Add(entry.Socket);
            }
        }
    }

    private void Report(Socket socket, SelectorInterest what, List<SelectorEvent> ready)
    {
        if (_indexBySocket.TryGetValue(socket, out int index)) ready.Add(new SelectorEvent(_entries[index].State, what));
    }

    private void DropDisposedSockets(List<SelectorEvent> ready)
    {
        for (int i = _entries.Count - 1; i >= 0; i--)
        {
            var entry = _entries[i];
            if (!entry.Socket.SafeHandle.IsClosed) continue;
            Unregister(entry.Socket);
            ready.Add(new SelectorEvent(entry.State, SelectorInterest.Closed));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _entries.Clear();
        _indexBySocket.Clear();
        _readList.Clear();
        _writeList.Clear();
        _errorList.Clear();
    }
}
