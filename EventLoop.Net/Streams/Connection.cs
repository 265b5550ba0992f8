using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A byte stream with straight-line reads and writes (asyncio's StreamReader and StreamWriter
/// in one object): <c>var line = await connection.ReadLineAsync();</c>. It runs over any
/// <see cref="ITransport"/> — a socket, or an in-memory pair in tests — and on the loop thread only.
/// </summary>
/// <remarks>
/// <para>Only one read may be pending at a time; a second concurrent read throws
/// <see cref="InvalidOperationException"/> at once. Several tasks may await
/// <see cref="DrainAsync"/> together.</para>
/// <para>Backpressure both ways: the transport stops reading while more than twice
/// <see cref="Limit"/> bytes are buffered unread (and resumes at <see cref="Limit"/>), and
/// <see cref="DrainAsync"/> waits while the write buffer is above its high-water mark.</para>
/// </remarks>
public sealed partial class Connection
{
    private readonly Loop _loop;
    private readonly ByteBuffer _buffer = new();
    private readonly ReadOperation _read;
    private readonly DataSignal _dataArrived = new();
    private readonly List<DrainWaiter> _drainWaiters = new();
    private ITransport? _transport;
    private LoopFuture<bool>? _closed;
    private int _limit;
    private bool _eof;
    private bool _lost;
    private Exception? _error;
    private bool _writingPaused;
    private bool _readingPausedByUs;

    internal Connection(Loop loop, ConnectionOptions? options)
    {
        _loop = loop;
        Limit = (options ?? new ConnectionOptions()).Limit;
        _read = new ReadOperation(MaybeResumeReading) { OwnerLoop = loop };
        _dataArrived.OwnerLoop = loop;
        Protocol = new StreamProtocol(this);
    }

    /// <summary>The protocol that feeds this connection from its transport.</summary>
    internal IProtocol Protocol { get; }

    /// <summary>Called once the transport is attached (stream servers start the handler here).</summary>
    internal Action<Connection>? Connected;

    /// <summary>Called once the transport has closed.</summary>
    internal Action<Connection>? Disconnected;

    /// <summary>The transport underneath, for its finer controls (water marks, pause/resume).</summary>
    public ITransport Transport => _transport ?? throw new InvalidOperationException("The connection is not established yet.");

    /// <summary>The read limit; see <see cref="ConnectionOptions.Limit"/>.</summary>
    public int Limit
    {
        get => _limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _limit = value;
        }
    }

    /// <summary>The peer's address.</summary>
    public EndPoint? RemoteEndPoint => _transport?.RemoteEndPoint;

    /// <summary>Our address.</summary>
    public EndPoint? LocalEndPoint => _transport?.LocalEndPoint;

    /// <summary>True once closing has begun (ours or the peer's) or the connection is lost.</summary>
    public bool IsClosing => _lost || (_transport?.IsClosing ?? false);

    /// <summary>Bytes received and not read yet.</summary>
    public int BufferedCount => _buffer.Count;

    /// <inheritdoc />
    public override string ToString() => RemoteEndPoint?.ToString() ?? "connection";

    private sealed class StreamProtocol(Connection connection) : IProtocol
    {
        public void ConnectionMade(ITransport transport)
        {
            connection._transport = transport;
            connection.Connected?.Invoke(connection);
        }

        public void DataReceived(ReadOnlySpan<byte> data) => connection.OnData(data);

        // Keep our side open: the handler may still reply after the peer's half-close.
        public bool EofReceived()
        {
            connection.OnEof();
            return true;
        }

        public void ConnectionLost(Exception? error) => connection.OnLost(error);

        public void PauseWriting() => connection._writingPaused = true;

        public void ResumeWriting() => connection.ReleaseDrainWaiters();
    }

    private void OnEof()
    {
        _eof = true;
        WakeReaders();
    }

    private void OnLost(Exception? error)
    {
        _lost = true;
        _eof = true;
        _error ??= error;
        WakeReaders();
        var waiters = _drainWaiters.ToArray();
        _drainWaiters.Clear();
        foreach (var waiter in waiters) waiter.Fail(ConnectionLostException());
        _closed?.TrySetResult(true);
        Disconnected?.Invoke(this);
    }

    private IOException ConnectionLostException() => new("The connection was lost.", _error);
}
