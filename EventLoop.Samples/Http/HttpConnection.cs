using System.Buffers;
using System.Text;
using EventLoop.Net;

namespace EventLoop.Samples.Http;

/// <summary>What a connection is waiting for, which decides what its deadline means.</summary>
internal enum ConnectionPhase
{
    /// <summary>Working, not waiting: no deadline.</summary>
    Busy,

    /// <summary>Between requests (keep-alive): closed quietly at the idle timeout.</summary>
    Idle,

    /// <summary>A request has begun and its headers are not all in: 408 at the header timeout.</summary>
    ReadingHead,

    /// <summary>Waiting for body bytes: 408 when none come for the idle timeout.</summary>
    ReadingBody,

    /// <summary>Waiting for a client to read its responses: cut off when it reads nothing for the idle timeout.</summary>
    Writing,

    /// <summary>After an error response, reading and dropping what the client still sends, briefly.</summary>
    Lingering,
}

/// <summary>
/// One HTTP/1.1 connection, start to end, in straight-line code: read, parse, answer, repeat.
/// Responses to requests that arrived together (pipelined) are formatted into one buffer and
/// leave in one write, in order. While idle the connection holds no buffer (a zero-byte read
/// waits for the next request); while busy it reuses the same pooled buffers request after
/// request, so a request without a body allocates nothing.
/// </summary>
internal sealed class HttpConnection
{
    private const int InputSize = 16 * 1024;   // a head (at most 8 KiB) always fits, with room for pipelined requests
    private const int FlushThreshold = 64 * 1024; // a long pipelined burst is answered in pieces of about this size
    private const int LingerLimit = 1024 * 1024; // after an error, at most this much is read and dropped

    private readonly HttpServer _server;
    private readonly Connection _connection;
    private readonly HttpRequestParser _parser;
    private readonly ChunkedDecoder _chunked;
    private readonly HttpRequestHead _head = new();
    private readonly PooledBuffer _output = new(4 * 1024);
    private readonly PooledBuffer _body = new(16 * 1024);
    private byte[]? _input;
    private int _start, _end;
    private long _deadline;
    private bool _bodyComplete;
    private ReadOnlyMemory<byte> _requestBody;

    public HttpConnection(HttpServer server, Connection connection)
    {
        _server = server;
        _connection = connection;
        _parser = new HttpRequestParser(server.Limits);
        _chunked = new ChunkedDecoder(server.Limits);
    }

    /// <summary>Position in the server's list (for O(1) removal).</summary>
    internal int Index;

    internal ConnectionPhase Phase { get; private set; }

    private ReadOnlySpan<byte> Buffered => _input.AsSpan(_start, _end - _start);

    private string Peer => _connection.RemoteEndPoint?.ToString() ?? "?";

    public async LoopTask RunAsync()
    {
        _server.Track(this);
        try
        {
            await ServeAsync();
        }
        catch (IOException e)
        {
            HttpServer.LogConnectionLost(_server.Log, Peer, e.Message); // a reset: normal on the Internet
        }
        finally
        {
            Phase = ConnectionPhase.Busy;
            _server.Untrack(this);
            ReleaseInput();
            _output.Release();
            _body.Release();
        }
    }

    private async LoopTask ServeAsync()
    {
        while (true)
        {
            if (_start == _end)
            {
                // Everything asked so far is answered: send it, then wait for the next request
                // holding no buffer at all.
                await FlushAsync();
                ReleaseInput();
                _output.Release();
                Enter(ConnectionPhase.Idle, _server.IdleTimeout);
                await _connection.ReadAsync(Memory<byte>.Empty);
                Enter(ConnectionPhase.ReadingHead, _server.HeaderTimeout);
                if (!Received(await ReadMoreAsync())) return; // closed between requests: the normal end
            }

            var status = _parser.Parse(Buffered, _head, out int consumed);
            if (status == HttpParseStatus.Incomplete)
            {
                await FlushAsync(); // answers to the pipelined requests before it, if any
                if (Phase != ConnectionPhase.ReadingHead) Enter(ConnectionPhase.ReadingHead, _server.HeaderTimeout);
                if (!Received(await ReadMoreAsync())) return; // gone mid-request
                continue;
            }
            if (status == HttpParseStatus.Error)
            {
                await RefuseAsync(_head.ErrorStatus, _head.ErrorDetail);
                return;
            }

            // The path is a slice of the input buffer: match it before a body read can move those bytes.
            var route = HttpRoutes.Match(_head.Method, _head.Path(Buffered));
            _start += consumed;
            Phase = ConnectionPhase.Busy;
            if (_head.HasBody)
            {
                await ReadBodyAsync();
                if (!_bodyComplete) return;
            }
            Respond(route);
            if (!_head.KeepAlive)
            {
                await FlushAsync();
                return;
            }
            if (_output.Count >= FlushThreshold) await FlushAsync();
        }
    }

    /// <summary>Reads the body into <see cref="_requestBody"/> and sets <see cref="_bodyComplete"/>; on failure the connection is done.</summary>
    private async LoopTask ReadBodyAsync()
    {
        _bodyComplete = false;
        if (_head.ExpectContinue && _head.IsHttp11 && _start == _end)
        {
            HttpResponseWriter.WriteContinue(_output);
            await FlushAsync();
        }
        if (_head.IsChunked)
        {
            _chunked.Reset();
            while (true)
            {
                var status = _chunked.Decode(Buffered, _body, out int used);
                _start += used;
                if (status == HttpParseStatus.Complete) break;
                if (status == HttpParseStatus.Error)
                {
                    await RefuseAsync(_chunked.ErrorStatus, _chunked.ErrorDetail);
                    return;
                }
                Enter(ConnectionPhase.ReadingBody, _server.IdleTimeout); // each read that brings bytes restarts the clock
                if (!Received(await ReadMoreAsync())) return;
            }
            _requestBody = _body.WrittenMemory;
        }
        else
        {
            int length = (int)_head.ContentLength; // the parser refused anything over the limit
            if (_end - _start >= length)
            {
                _requestBody = _input.AsMemory(_start, length); // all here already: no copy
                _start += length;
            }
            else
            {
                _body.Write(Buffered);
                _start = _end;
                while (_body.Count < length)
                {
                    Enter(ConnectionPhase.ReadingBody, _server.IdleTimeout);
                    int missing = length - _body.Count;
                    int n = await _connection.ReadAsync(_body.GetMemory(missing)[..missing]);
                    if (n == 0) return;
                    _body.Advance(n);
                }
                _requestBody = _body.WrittenMemory;
            }
        }
        Phase = ConnectionPhase.Busy;
        _bodyComplete = true;
    }

    private void Respond(RouteMatch route)
    {
        _server.Stats.Requests++;
        var connection = !_head.KeepAlive ? ConnectionHeader.Close : _head.IsHttp11 ? ConnectionHeader.None : ConnectionHeader.KeepAlive;
        bool headersOnly = _head.Method == RequestMethod.Head;
        var date = _server.Date;
        if (!route.MethodAllowed)
        {
            HttpResponseWriter.Write(_output, date, 405, "text/plain"u8, "Method Not Allowed\n"u8, headersOnly, connection, HttpRoutes.Allow(route.Resource));
            return;
        }
        switch (route.Resource)
        {
            case Resource.Hello:
                HttpResponseWriter.Write(_output, date, 200, "text/plain"u8, "Hello, World!"u8, headersOnly, connection);
                break;
            case Resource.Json:
                HttpResponseWriter.Write(_output, date, 200, "application/json"u8, """{"message":"Hello, World!"}"""u8, headersOnly, connection);
                break;
            case Resource.Echo:
                if (HttpResponseWriter.Write(_output, date, 200, "application/octet-stream"u8, _requestBody.Span, headersOnly, connection))
                {
                    // A large body goes out as it is, behind what is buffered: no copy into the output buffer.
                    _connection.Write(_output.WrittenSpan);
                    _output.Clear();
                    _connection.Write(_requestBody.Span);
                }
                break;
            case Resource.Stats:
                var json = new ArrayBufferWriter<byte>(512); // not a hot path
                _server.Stats.WriteJson(json, _server.Loop, _server.Listener);
                HttpResponseWriter.Write(_output, date, 200, "application/json"u8, json.WrittenSpan, headersOnly, connection);
                break;
            default:
                HttpResponseWriter.Write(_output, date, 404, "text/plain"u8, "Not Found\n"u8, headersOnly, connection);
                break;
        }
        _requestBody = default;
        _body.Release(); // a body can be large: don't keep its array between requests
    }

    /// <summary>
    /// Answers a request that cannot be served with <paramref name="status"/> and ends the
    /// connection: our side is shut, then what the client still sends is read and dropped for a
    /// moment (a lingering close), so the close does not reset the connection before the client
    /// has read the answer.
    /// </summary>
    private async LoopTask RefuseAsync(int status, string? detail)
    {
        _server.Stats.ErrorResponses++;
        HttpServer.LogRequestRefused(_server.Log, Peer, status, detail);
        HttpResponseWriter.Write(_output, _server.Date, status, "text/plain"u8, Encoding.UTF8.GetBytes(detail + "\n"), headersOnly: false, ConnectionHeader.Close);
        await FlushAsync();
        _connection.ShutdownWrite();
        Enter(ConnectionPhase.Lingering, _server.HeaderTimeout);
        _start = _end = 0;
        var sink = EnsureInput();
        for (int dropped = 0; dropped < LingerLimit;)
        {
            int n = await _connection.ReadAsync(sink);
            if (n == 0) break;
            dropped += n;
        }
    }

    /// <summary>Called by the heartbeat once the deadline of the current phase has passed.</summary>
    internal void TimeOut()
    {
        HttpServer.LogTimedOut(_server.Log, Peer, Phase);
        if (Phase is ConnectionPhase.ReadingHead or ConnectionPhase.ReadingBody)
        {
            // The handler is waiting for bytes, and its answers so far were sent before it waited.
            HttpResponseWriter.Write(_output, _server.Date, 408, "text/plain"u8, "The request took too long to arrive.\n"u8, headersOnly: false, ConnectionHeader.Close);
            _connection.Write(_output.WrittenSpan);
            _output.Clear();
        }
        // Idle or 408: close after sending what is buffered. A client that does not read its
        // responses, or one we are lingering for, is cut off.
        if (Phase is ConnectionPhase.Writing or ConnectionPhase.Lingering) _connection.Abort();
        else _connection.Close();
        Phase = ConnectionPhase.Busy;
    }

    internal bool IsOverdue(long now) => Phase != ConnectionPhase.Busy && now >= _deadline;

    private void Enter(ConnectionPhase phase, long timeout)
    {
        Phase = phase;
        _deadline = _server.Loop.Now + timeout;
    }

    private LoopTask FlushAsync()
    {
        if (_output.Count > 0)
        {
            _connection.Write(_output.WrittenSpan);
            _output.Clear();
        }
        var drained = _connection.DrainAsync();
        if (!drained.IsCompleted) Enter(ConnectionPhase.Writing, _server.IdleTimeout);
        return drained;
    }

    /// <summary>Reads more input after what is buffered (moving the unparsed rest to the front first).</summary>
    private ValueTask<int> ReadMoreAsync()
    {
        var input = EnsureInput();
        if (_start > 0)
        {
            input.AsSpan(_start, _end - _start).CopyTo(input);
            _end -= _start;
            _start = 0;
        }
        if (_end == input.Length) throw new InvalidOperationException("The input buffer is full: a head over the limit should have been refused.");
        return _connection.ReadAsync(input.AsMemory(_end));
    }

    private bool Received(int n)
    {
        _end += n;
        return n > 0;
    }

    private byte[] EnsureInput() => _input ??= ArrayPool<byte>.Shared.Rent(InputSize);

    private void ReleaseInput()
    {
        _start = _end = 0;
        if (_input is null) return;
        ArrayPool<byte>.Shared.Return(_input);
        _input = null;
    }
}
