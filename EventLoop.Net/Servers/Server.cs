using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EventLoop.Net;

/// <summary>
/// A listening socket served by the loop, and the connections it accepted. Create one with
/// <see cref="NetLoopExtensions.CreateServerAsync"/> (protocols) or
/// <c>StartServerAsync</c> (streams). Loop thread only.
/// </summary>
public sealed class Server : IDisposable
{
    /// <summary>Connections accepted per readiness event at most, so one busy listener cannot hog an iteration (asyncio uses its backlog, 100).</summary>
    internal const int AcceptBatch = 100;

    /// <summary>How long accepting pauses when the process is out of descriptors.</summary>
    internal static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromSeconds(1);

    private readonly Loop _loop;
    private readonly Socket _listener;
    private readonly Action<Socket> _onAccepted;
    private readonly Action _onAcceptable;
    private readonly HashSet<ITransport> _transports = new(ReferenceEqualityComparer.Instance);
    private readonly CloseWaiters _closeWaiters;
    private int _unfinished;
    private bool _accepting;

    private Server(Loop loop, Socket listener, Action<Server, Socket> onAccepted)
    {
        _loop = loop;
        _listener = listener;
        _onAccepted = socket => onAccepted(this, socket);
        _onAcceptable = OnAcceptable;
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
        var listener = ServerSocket.Listen(endpoint ?? Listeners.DefaultEndPoint, options);
        try
        {
            return new Server(loop, listener, onAccepted);
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

    private void OnAcceptable()
    {
        for (int i = 0; i < AcceptBatch && IsServing; i++)
        {
            Socket? accepted;
            try
            {
                accepted = SocketAwaits.TryAccept(_listener);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // Out of descriptors: retrying at once would spin on the same error. Pause.
                _loop.Logger.LogError(e, "Accept on {EndPoint} failed ({Error}); pausing accepts for {Delay}", LocalEndPoint, e.SocketErrorCode, AcceptRetryDelay);
                StopAccepting();
                _loop.CallLater(AcceptRetryDelay, StartAccepting);
                return;
            }
            catch (SocketException e)
            {
                // A peer that reset before we accepted it, for example: skip it.
                _loop.Logger.LogDebug(e, "Accept on {EndPoint} failed", LocalEndPoint);
                continue;
            }
            if (accepted is null) return;
            _onAccepted(accepted);
        }
    }
}
