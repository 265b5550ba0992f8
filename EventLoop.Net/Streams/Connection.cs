using System.Net;

namespace EventLoop.Net;

/// <summary>
/// A byte stream with straight-line reads and writes (asyncio's StreamReader and StreamWriter
/// in one object): <c>var line = await connection.ReadLineAsync();</c>. It runs over a socket, a
/// child's pipe or an in-memory pair, on the loop thread only: every member that does something
/// checks the thread first and throws <see cref="InvalidOperationException"/> elsewhere.
/// </summary>
/// <remarks>
/// <para>Only one read may be pending at a time; a second concurrent read throws
/// <see cref="InvalidOperationException"/> at once. The task a read returns stays valid until the
/// next read on this connection starts (a ValueTask one: await it once). Several tasks may await
/// <see cref="DrainAsync"/> or <see cref="WaitClosedAsync"/> together.</para>
/// <para>Backpressure both ways: the connection never holds more than twice <see cref="Limit"/>
/// bytes unread — reading from the transport stops there and resumes at <see cref="Limit"/> — and
/// <see cref="DrainAsync"/> waits while the write buffer is above its high-water mark.</para>
/// <para>Fairness: reads that keep completing from buffered data give the loop a turn every
/// <see cref="SyncReadBudget"/> reads (the read completes in the next iteration), so a client
/// that floods cannot keep its handler running while others wait.</para>
/// </remarks>
public sealed partial class Connection
{
    /// <summary>Reads a handler may complete in a row from buffered data before one goes through the loop.</summary>
    internal const int SyncReadBudget = 32;

    private readonly Loop _loop;
    private readonly ByteBuffer _buffer = new();
    private readonly List<Waiter<bool>> _drainWaiters = new();
    private readonly List<Waiter<bool>> _closeWaiters = new();
    private StreamTransport? _transport;
    private int _limit;
    private bool _eof;
    private bool _lost;
    private Exception? _error;

    internal Connection(Loop loop, ConnectionOptions? options)
    {
        _loop = loop;
        Limit = (options ?? new ConnectionOptions()).Limit;
        Protocol = new StreamProtocol(this);
    }

    /// <summary>The protocol that feeds this connection from its transport.</summary>
    internal IProtocol Protocol { get; }

    /// <summary>Called when the transport's ConnectionMade runs (stream servers start the handler here).</summary>
    internal Action<Connection>? Connected;

    /// <summary>The transport underneath; only this class changes its state.</summary>
    internal StreamTransport Transport => _transport ?? throw new InvalidOperationException("The connection has no transport yet.");

    /// <summary>A connection over the transport <paramref name="createTransport"/> makes for its protocol, usable at once.</summary>
    internal static Connection Create(Loop loop, ConnectionOptions? options, Func<IProtocol, StreamTransport> createTransport)
    {
        var connection = new Connection(loop, options);
        connection.Attach(createTransport(connection.Protocol));
        return connection;
    }

    /// <summary>Binds the transport created over <see cref="Protocol"/>: from here on the connection is usable (writes wait in its buffer until it starts).</summary>
    internal void Attach(StreamTransport transport)
    {
        if (_transport is not null) throw new InvalidOperationException("The connection already has a transport.");
        _transport = transport;
    }

    /// <summary>The read limit; see <see cref="ConnectionOptions.Limit"/>.</summary>
    public int Limit
    {
        get => _limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _loop.CheckThread();
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

    /// <summary>True when <paramref name="error"/> is this connection reporting its own end: lost (a reset), or ended before a read could finish.</summary>
    internal bool IsOwnEnd(Exception error) => _eof && error is ConnectionLostException or IncompleteReadException;

    private sealed class StreamProtocol(Connection connection) : IProtocol, IReadAheadBound
    {
        public void ConnectionMade(ITransport transport) => connection.Connected?.Invoke(connection);

        public void DataReceived(ReadOnlySpan<byte> data) => connection.OnData(data);

        // Keep our side open: the handler may still reply after the peer's half-close.
        public bool EofReceived()
        {
            connection.OnEof();
            return true;
        }

        public void ConnectionLost(Exception? error) => connection.OnLost(error);

        public void ResumeWriting() => Waiter<bool>.ReleaseAll(connection._drainWaiters, true);

        public int RemainingReadAhead => connection.RemainingReadAhead;
    }

    private void OnEof()
    {
        _eof = true;
        TryCompletePendingRead();
    }

    private void OnLost(Exception? error)
    {
        _lost = true;
        _eof = true;
        _error ??= error;
        TryCompletePendingRead();
        Waiter<bool>.ReleaseAll(_drainWaiters, false, NewConnectionLostException());
        Waiter<bool>.ReleaseAll(_closeWaiters, true);
    }

    private ConnectionLostException NewConnectionLostException() => new(_error);
}
