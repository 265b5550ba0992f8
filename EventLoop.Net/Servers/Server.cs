using System.Net;
using System.Net.Sockets;

namespace EventLoop.Net;

/// <summary>
/// A listening socket served by the loop, and the connections it accepted. Create one with
/// <see cref="NetLoopExtensions.CreateServerAsync"/> (protocols) or
/// <c>StartServerAsync</c> (streams). Loop thread only.
/// </summary>
public sealed class Server : IDisposable
{
    private readonly Loop _loop;
    private readonly Socket _listener;
    private readonly Acceptor _acceptor;
    private readonly Action<Socket> _onAccepted;
    private readonly Action _onAcceptable;
    private readonly Action _resumeAccepting;
    private readonly int? _maxConnections;
    private readonly HashSet<ITransport> _transports = new(ReferenceEqualityComparer.Instance);
    private readonly CloseWaiters _closeWaiters;
    private int _unfinished;
    private bool _accepting;
    private long _refusedAtMax = -1; // -1: below MaxConnections

    private Server(Loop loop, Socket listener, ServerOptions options, Action<Server, Socket> onAccepted)
    {
        _loop = loop;
        _listener = listener;
        _acceptor = new Acceptor(listener, loop.Logger);
        _maxConnections = options.MaxConnections;
        _onAccepted = socket => onAccepted(this, socket);
        _onAcceptable = OnAcceptable;
        _resumeAccepting = StartAccepting;
        _closeWaiters = new CloseWaiters(loop);
        LocalEndPoint = listener.LocalEndPoint!;
        IsServing = true;
        StartAccepting();
    }

    /// <summary>
    /// Every server starts here: the thread is checked before anything is bound, so a call from
    /// the wrong thread leaves no socket listening behind it.
    /// </summary>
    internal static Server Start(Loop loop, EndPoint? endpoint, ServerOptions? options, Action<Server, Socket> onAccepted)
    {
        ArgumentNullException.ThrowIfNull(loop);
        loop.CheckThread();
        options ??= new ServerOptions();
        var listener = ServerSocket.Listen(endpoint ?? Listeners.DefaultEndPoint, options);
        try
        {
            return new Server(loop, listener, options, onAccepted);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Where the server listens; with port 0 requested, the port it got.</summary>
    public EndPoint LocalEndPoint { get; }

    /// <summary>True until <see cref="Close"/>.</summary>
    public bool IsServing { get; private set; }

    /// <summary>Connections accepted and not finished yet (for stream servers: whose handler has not returned).</summary>
    public int ConnectionCount => _unfinished;

    /// <summary>Stops accepting and closes the listening socket (and its socket file). Open connections stay open.</summary>
    public void Close()
    {
        _loop.CheckThread();
        if (!IsServing) return;
        IsServing = false;
        StopAccepting();
        _listener.Dispose();
        if (LocalEndPoint is UnixDomainSocketEndPoint unix && Listeners.SocketFilePath(unix) is { } path)
        {
            try { File.Delete(path); }
            catch (IOException) { }
        }
        CompleteClosedIfDone();
    }

    /// <summary>
    /// Completes once the server is closed and every connection has finished. Each call waits on
    /// its own: cancelling one wait, or timing it out, leaves every other wait as it was.
    /// </summary>
    public LoopTask WaitClosedAsync()
    {
        _loop.CheckThread();
        return IsClosedAndDone ? LoopTask.CompletedTask : _closeWaiters.Add();
    }

    /// <summary>Closes every connection gracefully (buffered data is sent first).</summary>
    public void CloseClients()
    {
        _loop.CheckThread();
        foreach (var transport in _transports.ToArray()) transport.Close();
    }

    /// <summary>Closes every connection at once, dropping buffered data.</summary>
    public void AbortClients()
    {
        _loop.CheckThread();
        foreach (var transport in _transports.ToArray()) transport.Abort();
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    internal void Track(ITransport transport)
    {
        _transports.Add(transport);
        _unfinished++;
    }

    internal void Untrack(ITransport transport) => _transports.Remove(transport);

    internal void ConnectionFinished()
    {
        _unfinished--;
        CompleteClosedIfDone();
    }

    private bool IsClosedAndDone => !IsServing && _unfinished == 0;

    private bool IsFull => _unfinished >= _maxConnections;

    private void CompleteClosedIfDone()
    {
        if (IsClosedAndDone) _closeWaiters.CompleteAll();
    }

    private void StartAccepting()
    {
        if (_accepting || !IsServing) return;
        _accepting = true;
        _loop.AddReader(_listener, _onAcceptable);
    }

    private void StopAccepting()
    {
        if (!_accepting) return;
        _accepting = false;
        _loop.RemoveReader(_listener);
    }

    /// <summary>Accepts what is pending, a bounded batch per readiness event; no accept error ends the server.</summary>
    private void OnAcceptable()
    {
        for (int i = 0; i < Acceptor.Batch && IsServing; i++)
        {
            AcceptResult result;
            Socket? socket;
            try
            {
                result = _acceptor.TryAccept(out socket);
            }
            catch (SocketException e)
            {
                _loop.ReportException(new LoopExceptionContext($"Accepting on {LocalEndPoint} failed; trying again in {Acceptor.PauseAfterShortage.TotalMilliseconds:0} ms", e, nameof(Server)));
                result = AcceptResult.Paused;
                socket = null;
            }
            switch (result)
            {
                case AcceptResult.Empty:
                    return;
                case AcceptResult.Paused:
                    StopAccepting();
                    _loop.CallLater(Acceptor.PauseAfterShortage, _resumeAccepting);
                    return;
                case AcceptResult.Accepted when IsFull:
                    Refuse(socket!);
                    break;
                case AcceptResult.Accepted:
                    Serve(socket!);
                    break;
            }
        }
    }

    /// <summary>Over <see cref="ServerOptions.MaxConnections"/>: the client is told at once (its connection closes) instead of waiting in the backlog.</summary>
    private void Refuse(Socket socket)
    {
        socket.Dispose();
        if (_refusedAtMax < 0)
        {
            ServerLog.AtMaxConnections(_loop.Logger, LocalEndPoint, _maxConnections!.Value);
            _refusedAtMax = 0;
        }
        _refusedAtMax++;
    }

    private void Serve(Socket socket)
    {
        if (_refusedAtMax >= 0)
        {
            ServerLog.BelowMaxConnections(_loop.Logger, LocalEndPoint, _refusedAtMax);
            _refusedAtMax = -1;
        }
        try
        {
            _onAccepted(socket);
        }
        catch (Exception e)
        {
            // The protocol factory threw, for example: that connection only.
            socket.Dispose();
            _loop.ReportException(new LoopExceptionContext($"Setting up a connection accepted on {LocalEndPoint} failed; it was closed", e, nameof(Server)));
        }
    }
}
