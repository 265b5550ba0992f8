namespace EventLoop.Samples.Http;

/// <summary>
/// What the parser learned from one request's line and headers. One instance per connection,
/// overwritten for each request: parsing allocates nothing. The path is kept as a position in the
/// bytes that were parsed, valid until those bytes move.
/// </summary>
internal sealed class HttpRequestHead
{
    /// <summary>The method.</summary>
    public RequestMethod Method { get; internal set; }

    /// <summary>HTTP/1.1 (or a later 1.x); false for HTTP/1.0.</summary>
    public bool IsHttp11 { get; internal set; }

    /// <summary>The body's length from Content-Length; -1 without one.</summary>
    public long ContentLength { get; internal set; }

    /// <summary>Transfer-Encoding: chunked.</summary>
    public bool IsChunked { get; internal set; }

    /// <summary>The connection stays open after the response (HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive").</summary>
    public bool KeepAlive { get; internal set; }

    /// <summary>"Expect: 100-continue": the client waits for a 100 before sending the body.</summary>
    public bool ExpectContinue { get; internal set; }

    /// <summary>After an error: the status to answer with (400, 413, 414, 431, 501, 505).</summary>
    public int ErrorStatus { get; internal set; }

    /// <summary>After an error: one line saying what was wrong, for the response body.</summary>
    public string? ErrorDetail { get; internal set; }

    internal int PathStart;
    internal int PathLength;

    /// <summary>The path (no query), a slice of <paramref name="parsed"/>: the same bytes given to the parser.</summary>
    public ReadOnlySpan<byte> Path(ReadOnlySpan<byte> parsed) => parsed.Slice(PathStart, PathLength);

    /// <summary>True when the request has a body to read.</summary>
    public bool HasBody => IsChunked || ContentLength > 0;

    internal void Reset()
    {
        Method = RequestMethod.Other;
        IsHttp11 = false;
        ContentLength = -1;
        IsChunked = false;
        KeepAlive = false;
        ExpectContinue = false;
        ErrorStatus = 0;
        ErrorDetail = null;
        PathStart = PathLength = 0;
    }

    internal HttpParseStatus Fail(int status, string detail)
    {
        ErrorStatus = status;
        ErrorDetail = detail;
        return HttpParseStatus.Error;
    }
}

/// <summary>The outcome of one parse.</summary>
internal enum HttpParseStatus
{
    /// <summary>The head is not complete yet: read more and parse again.</summary>
    Incomplete,

    /// <summary>A request head was parsed; it used <c>consumed</c> bytes.</summary>
    Complete,

    /// <summary>The request is malformed or over a limit: answer <see cref="HttpRequestHead.ErrorStatus"/> and close.</summary>
    Error,
}
