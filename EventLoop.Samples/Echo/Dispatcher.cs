using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Echo;

/// <summary>
/// Python's <c>asyncore.dispatcher</c>, the callback style asyncio replaced: a socket wrapper whose
/// <see cref="Readable"/> and <see cref="Writable"/> say what it wants to wait for, and whose
/// <c>Handle*</c> methods the loop calls when the socket is ready. After every event the
/// registration follows the answers again (<see cref="Loop.AddReader"/>/<see cref="Loop.AddWriter"/>
/// on, <c>Remove*</c> off), so a handler with nothing to send is never woken for writing and one
/// whose buffer is full stops reading: flow control by two predicates.
/// </summary>
public abstract partial class Dispatcher
{
    private readonly Action _onReadable;
    private readonly Action _onWritable;
    private bool _reading;
    private bool _writing;

    /// <summary>Wraps <paramref name="socket"/> (made non-blocking) and adds it to <paramref name="map"/>; call <see cref="Start"/> to begin.</summary>
    protected Dispatcher(Loop loop, Socket socket, DispatcherMap map, ILogger log)
    {
        Loop = loop;
        Socket = socket;
        Map = map;
        Log = log;
        socket.Blocking = false;
        _onReadable = OnReadable;
        _onWritable = OnWritable;
        map.Add(this);
    }

    /// <summary>The loop that drives this dispatcher.</summary>
    protected Loop Loop { get; }

    /// <summary>The socket.</summary>
    public Socket Socket { get; }

    /// <summary>Every open dispatcher (asyncore's <c>socket_map</c>).</summary>
    protected DispatcherMap Map { get; }

    /// <summary>Where problems are logged.</summary>
    protected ILogger Log { get; }

    /// <summary>True for a listening socket: readiness to read means a connection to accept.</summary>
    protected bool Accepting { get; private set; }

    /// <summary>True once <see cref="Close"/> has run.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Whether to wait for the socket to be readable (default: yes).</summary>
    public virtual bool Readable() => true;

    /// <summary>Whether to wait for the socket to be writable (default: yes, as asyncore).</summary>
    public virtual bool Writable() => true;

    /// <summary>Data (or the end of it) can be received without blocking.</summary>
    protected virtual void HandleRead()
    {
    }

    /// <summary>Data can be sent without blocking.</summary>
    protected virtual void HandleWrite()
    {
    }

    /// <summary>A listening dispatcher has a connection to accept.</summary>
    protected virtual void HandleAccept()
    {
    }

    /// <summary>The peer has finished sending (a receive returned 0). By default: close.</summary>
    protected virtual void HandleClose() => Close();

    /// <summary>Registers with the loop as <see cref="Readable"/> and <see cref="Writable"/> say (asyncore's <c>add_channel</c>).</summary>
    public void Start() => FollowInterest();

    /// <summary>Starts listening: from now on readability calls <see cref="HandleAccept"/>.</summary>
    protected void Listen(int backlog)
    {
        Socket.Listen(backlog);
        Accepting = true;
    }

    /// <summary>Accepts one connection (non-blocking), or returns null if none is waiting after all.</summary>
    protected Socket? Accept()
    {
        try
        {
            return Socket.Accept();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionAborted or SocketError.ConnectionReset)
        {
            return null; // nothing there, or a client that gave up before we accepted it
        }
    }

    /// <summary>
    /// Receives into <paramref name="buffer"/>. Returns the bytes received; 0 when nothing could be
    /// read. At the end of the stream <see cref="HandleClose"/> is called; on a reset the
    /// dispatcher is closed.
    /// </summary>
    protected int Receive(Span<byte> buffer)
    {
        int n = Socket.Receive(buffer, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock) return 0; // level-triggered: woken again if data comes
        if (error != SocketError.Success)
        {
            LogLost(Log, Socket.RemoteEndPoint?.ToString(), error);
            Close();
            return 0;
        }
        if (n == 0) HandleClose();
        return n;
    }

    /// <summary>Sends what the kernel takes now and returns how much that was (0 if none; on a reset the dispatcher is closed).</summary>
    protected int Send(ReadOnlySpan<byte> data)
    {
        int n = Socket.Send(data, SocketFlags.None, out var error);
        if (error is SocketError.Success or SocketError.WouldBlock) return n;
        LogLost(Log, Socket.RemoteEndPoint?.ToString(), error);
        Close();
        return 0;
    }

    /// <summary>Unregisters from the loop, closes the socket and leaves the map. Safe to call twice.</summary>
    public void Close()
    {
        if (IsClosed) return;
        IsClosed = true;
        if (_reading) Loop.RemoveReader(Socket);
        if (_writing) Loop.RemoveWriter(Socket);
        _reading = _writing = false;
        Map.Remove(this);
        Socket.Dispose();
    }

    private void OnReadable()
    {
        Guard(Accepting ? HandleAccept : HandleRead);
        FollowInterest();
    }

    private void OnWritable()
    {
        Guard(HandleWrite);
        FollowInterest();
    }

    /// <summary>An exception from a handler closes this dispatcher only (asyncore's <c>handle_error</c>).</summary>
    private void Guard(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception e)
        {
            LogHandlerFailed(Log, e, GetType().Name);
            Close();
        }
    }

    /// <summary>Makes the loop's registration match <see cref="Readable"/> and <see cref="Writable"/>, touching it only where it changes.</summary>
    private void FollowInterest()
    {
        if (IsClosed) return;
        bool read = Readable(), write = Writable();
        if (read != _reading)
        {
            if (read) Loop.AddReader(Socket, _onReadable);
            else Loop.RemoveReader(Socket);
            _reading = read;
        }
        if (write != _writing)
        {
            if (write) Loop.AddWriter(Socket, _onWritable);
            else Loop.RemoveWriter(Socket);
            _writing = write;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {Peer} lost: {Error}")]
    private static partial void LogLost(ILogger log, string? peer, SocketError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Dispatcher} handler failed; closing it")]
    private static partial void LogHandlerFailed(ILogger log, Exception e, string dispatcher);
}

/// <summary>The open dispatchers of one program (asyncore's <c>socket_map</c>), so they can all be closed at the end.</summary>
public sealed class DispatcherMap
{
    private readonly HashSet<Dispatcher> _open = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many are open.</summary>
    public int Count => _open.Count;

    internal void Add(Dispatcher dispatcher) => _open.Add(dispatcher);

    internal void Remove(Dispatcher dispatcher) => _open.Remove(dispatcher);

    /// <summary>Closes every dispatcher (asyncore's <c>close_all</c>).</summary>
    public void CloseAll()
    {
        foreach (var dispatcher in _open.ToArray()) dispatcher.Close();
    }
}
