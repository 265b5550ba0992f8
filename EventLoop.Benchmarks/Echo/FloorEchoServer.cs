using System.Net;
using System.Net.Sockets;

namespace EventLoop.Benchmarks.Echo;

/// <summary>
/// Server 0, the floor: the bare select loop every framework here is measured against. One
/// thread, non-blocking sockets, <see cref="Socket.Select"/> over the listener and every client
/// (the read and write lists rebuilt each iteration, as Select filters them in place), one shared
/// receive buffer, the bytes sent straight back. A connection whose send was partial keeps the rest
/// in a small buffer of its own and waits for writability instead of reading — the same flow
/// control the loop servers have, so a slow reader cannot make it buffer without bound.
/// </summary>
internal sealed class FloorEchoServer : IEchoServer
{
    private const int Backlog = 1024; // as the loop servers: a connect burst never overflows it

    /// <summary>Select's timeout: how soon the thread notices Dispose. It never fires under load.</summary>
    private const int PollMicroseconds = 100_000;

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
    private readonly Dictionary<Socket, Pending> _connections = []; // reference equality: Socket does not override Equals
    private readonly List<Socket> _read = [], _write = [];
    private readonly byte[] _buffer = new byte[StreamsEcho.BufferSize];
    private readonly Thread _thread;
    private volatile bool _stopping;

    public FloorEchoServer(int port)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(Backlog);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _thread = new Thread(Serve) { Name = "echo floor", IsBackground = true };
        _thread.Start();
    }

    public int Port { get; }

    /// <summary>Bytes accepted from a peer but not yet taken by the kernel on the way back.</summary>
    private sealed class Pending
    {
        public byte[]? Bytes; // allocated on the first partial send only: an idle connection has none
        public int Count;
    }

    private void Serve()
    {
        try
        {
            while (!_stopping)
            {
                _read.Clear();
                _write.Clear();
                _read.Add(_listener);
                foreach (var (socket, pending) in _connections)
                {
                    // Write interest only while output is pending; no reading meanwhile (flow control).
                    (pending.Count == 0 ? _read : _write).Add(socket);
                }
                Socket.Select(_read, _write.Count > 0 ? _write : null, null, PollMicroseconds);
                foreach (var socket in _write) Flush(socket, _connections[socket]);
                foreach (var socket in _read)
                {
                    if (socket == _listener) Accept();
                    else Echo(socket, _connections[socket]);
                }
            }
        }
        catch (Exception e) when (!_stopping)
        {
            Console.Error.WriteLine($"echo floor failed: {e}");
        }
    }

    private void Accept()
    {
        // Everything queued (bounded per readiness), not one: with thousands of sockets an
        // iteration is long, and one accept per iteration left load connections waiting in the
        // queue through the warm-up. Poll(0) first because a non-blocking Accept with nothing
        // queued throws.
        for (int i = 0; i < 64 && (i == 0 || _listener.Poll(0, SelectMode.SelectRead)); i++)
        {
            var socket = _listener.Accept();
            socket.Blocking = false;
            socket.NoDelay = true;
            _connections.Add(socket, new Pending());
            EchoConnections.Opened();
        }
    }

    private void Echo(Socket socket, Pending pending)
    {
        int n = socket.Receive(_buffer.AsSpan(), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success || n == 0)
        {
            Close(socket);
            return;
        }
        int sent = socket.Send(_buffer.AsSpan(0, n), SocketFlags.None, out error);
        if (error == SocketError.WouldBlock) sent = 0;
        else if (error != SocketError.Success)
        {
            Close(socket);
            return;
        }
        if (sent == n) return;
        pending.Bytes ??= new byte[_buffer.Length]; // at most one receive is ever pending
        _buffer.AsSpan(sent, n - sent).CopyTo(pending.Bytes);
        pending.Count = n - sent;
    }

    private void Flush(Socket socket, Pending pending)
    {
        int sent = socket.Send(pending.Bytes.AsSpan(0, pending.Count), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return;
        if (error != SocketError.Success)
        {
            Close(socket);
            return;
        }
        pending.Count -= sent;
        if (pending.Count > 0) pending.Bytes.AsSpan(sent, pending.Count).CopyTo(pending.Bytes);
    }

    private void Close(Socket socket)
    {
        // Safe inside the foreach over _read/_write: those are separate lists from the dictionary.
        if (_connections.Remove(socket)) EchoConnections.Closed();
        socket.Dispose();
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        foreach (var socket in _connections.Keys) socket.Dispose();
        _listener.Dispose();
    }
}
