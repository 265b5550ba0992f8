using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EventLoop.Net;
using Microsoft.Extensions.Logging;

namespace EventLoop.Samples.Gateway;

/// <summary>
/// A TCP gateway: each client is connected to a backend (round-robin, the next one tried when a
/// backend does not answer) and bytes are piped both ways until both sides have finished.
/// </summary>
/// <remarks>
/// Backpressure per direction: the pipe writes a chunk, then waits for the writing side to drain
/// before it reads again, and the reading side stops taking bytes from its socket while more than
/// twice its <see cref="Connection.Limit"/> sits unread. So a slow reader on either side bounds what
/// the gateway holds for that connection, per direction, at <see cref="MaxBufferedPerDirection"/>;
/// the rest waits in the kernel and then in the sender.
/// </remarks>
internal sealed partial class Gateway(Loop loop, IReadOnlyList<EndPoint> backends, ILogger log)
{
    /// <summary>How long a backend has to accept a connection before the next one is tried.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The read limit of both connections: their read-ahead stops at twice this.</summary>
    public const int ReadLimit = 16 * 1024;

    /// <summary>The most one read takes in.</summary>
    public const int ChunkSize = 16 * 1024;

    /// <summary>
    /// What the gateway may hold for one connection in one direction: the reading side's
    /// read-ahead (2 × <see cref="ReadLimit"/>, plus one socket receive of at most 64 KiB that
    /// crosses it) and the writing side's buffer (up to its 64 KiB high-water mark plus the chunk
    /// that crossed it). 208 KiB; twice that for a connection.
    /// </summary>
    public const int MaxBufferedPerDirection = 2 * ReadLimit + 64 * 1024 + ITransport.DefaultHighWaterMark + ChunkSize + ChunkSize;

    private readonly HashSet<GatewaySession> _sessions = new(ReferenceEqualityComparer.Instance);
    private int _next;

    /// <summary>The connections being piped now.</summary>
    public IReadOnlyCollection<GatewaySession> Sessions => _sessions;

    /// <summary>The stream handler: one client, from connect to close.</summary>
    public async LoopTask HandleAsync(Connection client)
    {
        client.Limit = ReadLimit;
        long started = loop.Now;
        var backend = await ConnectToABackendAsync();
        if (backend is null)
        {
            LogNoBackend(log, client.ToString(), backends.Count);
            return; // the client is closed and told nothing
        }
        var session = new GatewaySession(client, backend);
        _sessions.Add(session);
        try
        {
            await loop.WhenAll(PipeAsync(client, backend, session, upstream: true), PipeAsync(backend, client, session, upstream: false));
        }
        finally
        {
            _sessions.Remove(session);
            backend.Close();
            LogSession(log, client.ToString(), backend.ToString(), session.BytesUp, session.BytesDown, loop.Elapsed(started, loop.Now).TotalMilliseconds);
        }
    }

    /// <summary>Round-robin: each client starts at the next backend; a refused or silent one passes to the one after.</summary>
    private async LoopTask<Connection?> ConnectToABackendAsync()
    {
        int first = _next;
        _next = (_next + 1) % backends.Count;
        for (int i = 0; i < backends.Count; i++)
        {
            var endpoint = backends[(first + i) % backends.Count];
            try
            {
                var backend = await loop.WaitForAsync(loop.OpenConnectionAsync(endpoint, new ConnectionOptions { Limit = ReadLimit }), ConnectTimeout);
                return backend;
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                LogBackendFailed(log, endpoint.ToString() ?? "?", e.Message);
            }
        }
        return null;
    }

    /// <summary>
    /// Copies <paramref name="from"/> to <paramref name="to"/>: the end of <paramref name="from"/>
    /// becomes a half-close of <paramref name="to"/>; a reset of either closes both.
    /// </summary>
    private static async LoopTask PipeAsync(Connection from, Connection to, GatewaySession session, bool upstream)
    {
        try
        {
            while (true)
            {
                await from.ReadAsync(Memory<byte>.Empty); // wait for data holding no buffer
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int n;
                try
                {
                    n = await from.ReadAsync(buffer.AsMemory(0, ChunkSize)); // at once: data is there
                    to.Write(buffer.AsSpan(0, n));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                if (n == 0)
                {
                    to.ShutdownWrite();
                    return;
                }
                session.Count(upstream, n);
                await to.DrainAsync(); // a slow reader on the other side holds this direction here
            }
        }
        catch (IOException)
        {
            from.Abort();
            to.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Client} <-> {Backend}: {BytesUp} bytes up, {BytesDown} bytes down, {Milliseconds:0.#} ms")]
    private static partial void LogSession(ILogger log, string client, string backend, long bytesUp, long bytesDown, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No backend of {Count} answered for {Client}; closed it")]
    private static partial void LogNoBackend(ILogger log, string client, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Backend {Backend} did not answer: {Reason}")]
    private static partial void LogBackendFailed(ILogger log, string backend, string reason);
}

/// <summary>One client piped to one backend.</summary>
internal sealed class GatewaySession(Connection client, Connection backend)
{
    public Connection Client => client;
    public Connection Backend => backend;
    public long BytesUp { get; private set; }
    public long BytesDown { get; private set; }

    /// <summary>Bytes the gateway holds for this connection now: unread on either side plus unsent on either side.</summary>
    public int BufferedBytes =>
        client.BufferedCount + backend.BufferedCount
        + (client.IsClosing ? 0 : client.WriteBufferSize)
        + (backend.IsClosing ? 0 : backend.WriteBufferSize);

    public void Count(bool upstream, int bytes)
    {
        if (upstream) BytesUp += bytes;
        else BytesDown += bytes;
    }
}
