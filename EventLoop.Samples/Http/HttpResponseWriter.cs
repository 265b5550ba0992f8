namespace EventLoop.Samples.Http;

/// <summary>How a response ends the exchange, as its Connection header says.</summary>
internal enum ConnectionHeader
{
    /// <summary>HTTP/1.1 keep-alive: no header needed.</summary>
    None,

    /// <summary>"Connection: keep-alive", which an HTTP/1.0 client needs to see.</summary>
    KeepAlive,

    /// <summary>"Connection: close": the server closes after this response.</summary>
    Close,
}

/// <summary>
/// Formats responses into a connection's output buffer: status line, Date (cached), Server,
/// Content-Type, Content-Length, and Connection or Allow when needed, then the body. Responses to
/// pipelined requests pile up in the same buffer and leave in one write.
/// </summary>
internal static class HttpResponseWriter
{
    /// <summary>Bodies up to this size are copied behind their headers (one write); larger ones are written on their own.</summary>
    public const int InlineBodyLimit = 16 * 1024;

    /// <summary>Writes the status line and headers, and the body if it is small; returns true if the caller must still write a large body.</summary>
    public static bool Write(PooledBuffer output, HttpDate date, int status, ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> body,
        bool headersOnly, ConnectionHeader connection, ReadOnlySpan<byte> allow = default)
    {
        bool inline = !headersOnly && body.Length <= InlineBodyLimit;
        var span = output.GetSpan(256 + contentType.Length + allow.Length + (inline ? body.Length : 0));
        int n = Append(span, 0, HttpStatus.StatusLine(status));
        n = Append(span, n, date.HeaderLine);
        n = Append(span, n, "Server: EventLoop\r\nContent-Type: "u8);
        n = Append(span, n, contentType);
        n = Append(span, n, "\r\nContent-Length: "u8);
        body.Length.TryFormat(span[n..], out int digits);
        n += digits;
        n = Append(span, n, connection switch
        {
            ConnectionHeader.Close => "\r\nConnection: close"u8,
            ConnectionHeader.KeepAlive => "\r\nConnection: keep-alive"u8,
            _ => default,
        });
        if (!allow.IsEmpty)
        {
            n = Append(span, n, "\r\nAllow: "u8);
            n = Append(span, n, allow);
        }
        n = Append(span, n, "\r\n\r\n"u8);
        if (inline) n = Append(span, n, body);
        output.Advance(n);
        return !headersOnly && !inline;
    }

    /// <summary>The interim response that tells an "Expect: 100-continue" client to send its body.</summary>
    public static void WriteContinue(PooledBuffer output) => output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);

    private static int Append(Span<byte> span, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(span[at..]);
        return at + bytes.Length;
    }
}
