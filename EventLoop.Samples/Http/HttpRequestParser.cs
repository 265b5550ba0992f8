using System.Text;

namespace EventLoop.Samples.Http;

/// <summary>
/// Parses an HTTP/1.1 request line and headers (RFC 9112) from the bytes at the start of a
/// buffer, strictly: lines end in CRLF, one space between the parts of the request line, no
/// whitespace before a header's colon, no folded lines, no control characters. It allocates
/// nothing. One instance per connection: it remembers how far it has already searched for the
/// end of a head that is still arriving, so a head trickling in byte by byte costs linear time.
/// </summary>
internal sealed class HttpRequestParser(HttpLimits limits)
{
    private int _searched;

    /// <summary>
    /// Parses the request head at the start of <paramref name="buffer"/> into <paramref name="head"/>.
    /// Between an <see cref="HttpParseStatus.Incomplete"/> result and the next call the buffer
    /// must still start at the same request (more bytes appended).
    /// </summary>
    /// <param name="buffer">Received bytes, starting at a request.</param>
    /// <param name="head">Receives what was parsed (or the error).</param>
    /// <param name="consumed">With <see cref="HttpParseStatus.Complete"/>: the head's length, blank line included; the body (if any) follows.</param>
    public HttpParseStatus Parse(ReadOnlySpan<byte> buffer, HttpRequestHead head, out int consumed)
    {
        consumed = 0;
        head.Reset();
        int start = SkipLeadingEmptyLines(buffer);
        var status = FindHeadEnd(buffer, start, head, out int end);
        if (status != HttpParseStatus.Complete) return status;
        _searched = 0;
        consumed = end + 2; // through the blank line
        status = ParseHead(buffer[start..end], head);
        if (status == HttpParseStatus.Complete)
        {
            head.PathStart += start;
            if (head.ContentLength > limits.MaxBodyBytes) return head.Fail(413, $"The body is larger than {limits.MaxBodyBytes} bytes.");
        }
        return status;
    }

    // RFC 9112 §2.2: a server should ignore at least one empty line before a request line (some
    // clients send a CRLF after a POST body).
    private static int SkipLeadingEmptyLines(ReadOnlySpan<byte> buffer)
    {
        int start = 0;
        while (start + 1 < buffer.Length && buffer[start] == '\r' && buffer[start + 1] == '\n') start += 2;
        return start;
    }

    /// <summary>Finds the blank line ending the head; <paramref name="end"/> is the index of its CR (just after the last header's CRLF).</summary>
    private HttpParseStatus FindHeadEnd(ReadOnlySpan<byte> buffer, int start, HttpRequestHead head, out int end)
    {
        end = -1;
        int from = Math.Max(start, _searched);
        while (true)
        {
            int found = buffer[from..].IndexOf((byte)'\n');
            if (found < 0) break;
            int lf = from + found;
            if (lf == 0 || buffer[lf - 1] != '\r') return head.Fail(400, "A line ends in a bare LF; HTTP lines end in CRLF.");
            if (lf - start + 1 > limits.MaxHeadBytes) return TooLarge(buffer, start, head);
            if (lf - 2 >= start && buffer[lf - 2] == '\n') // "\r\n" right after the previous line's LF: the blank line
            {
                end = lf - 1;
                return HttpParseStatus.Complete;
            }
            from = lf + 1;
        }
        // No blank line yet: next time, search only the bytes that arrive meanwhile.
        _searched = buffer.Length;
        return buffer.Length - start >= limits.MaxHeadBytes ? TooLarge(buffer, start, head) : HttpParseStatus.Incomplete;
    }

    private HttpParseStatus TooLarge(ReadOnlySpan<byte> buffer, int start, HttpRequestHead head)
    {
        int lineEnd = buffer[start..].IndexOf((byte)'\n');
        return lineEnd < 0 || lineEnd + 1 > limits.MaxHeadBytes
            ? head.Fail(414, $"The request line is longer than {limits.MaxHeadBytes} bytes.")
            : head.Fail(431, $"The request line and headers are longer than {limits.MaxHeadBytes} bytes.");
    }

    /// <summary>Parses <paramref name="lines"/>: the request line and header lines, each ending in CRLF.</summary>
    private static HttpParseStatus ParseHead(ReadOnlySpan<byte> lines, HttpRequestHead head)
    {
        int lineEnd = lines.IndexOf("\r\n"u8);
        var status = ParseRequestLine(lines[..lineEnd], head);
        if (status != HttpParseStatus.Complete) return status;
        var fields = new HeaderFields();
        int offset = lineEnd + 2;
        while (offset < lines.Length)
        {
            lineEnd = lines[offset..].IndexOf("\r\n"u8);
            status = fields.Add(lines.Slice(offset, lineEnd), head);
            if (status != HttpParseStatus.Complete) return status;
            offset += lineEnd + 2;
        }
        return fields.Apply(head);
    }

    private static HttpParseStatus ParseRequestLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1) return head.Fail(400, "The request line is not 'METHOD target HTTP/1.1'.");
        var method = line[..firstSpace];
        var target = line[(firstSpace + 1)..lastSpace];
        var version = line[(lastSpace + 1)..];
        if (!HttpSyntax.IsToken(method)) return head.Fail(400, "The method is not a token.");
        if (target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0) return head.Fail(400, "The request target has a space, a control or a non-ASCII character.");
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !char.IsAsciiDigit((char)version[5]) || version[6] != '.' || !char.IsAsciiDigit((char)version[7]))
            return head.Fail(400, "The HTTP version is malformed.");
        if (version[5] != '1') return head.Fail(505, "Only HTTP/1.0 and HTTP/1.1 are supported.");
        head.IsHttp11 = version[7] != '0';
        head.Method = HttpSyntax.Method(method);
        return FindPath(target, firstSpace + 1, head);
    }

    /// <summary>Origin form ("/path?query"), absolute form ("http://host/path"), or "*" for OPTIONS.</summary>
    private static HttpParseStatus FindPath(ReadOnlySpan<byte> target, int targetStart, HttpRequestHead head)
    {
        int pathStart = 0;
        if (target[0] != '/')
        {
            if (target is [(byte)'*'] && head.Method == RequestMethod.Options)
            {
                head.PathStart = targetStart;
                head.PathLength = 1;
                return HttpParseStatus.Complete;
            }
            int scheme = target.IndexOf("://"u8);
            if (scheme <= 0 || !HttpSyntax.IsHttpScheme(target[..scheme])) return head.Fail(400, "The request target is not a path or an http URL.");
            int slash = target[(scheme + 3)..].IndexOf((byte)'/');
            if (slash < 0) return SetPath(head, targetStart + target.Length, 0); // "http://host" is the root; an empty path is "/"
            pathStart = scheme + 3 + slash;
        }
        var path = target[pathStart..];
        int query = path.IndexOfAny((byte)'?', (byte)'#');
        return SetPath(head, targetStart + pathStart, query < 0 ? path.Length : query);
    }

    private static HttpParseStatus SetPath(HttpRequestHead head, int start, int length)
    {
        head.PathStart = start;
        head.PathLength = length;
        return HttpParseStatus.Complete;
    }

    /// <summary>The header fields that decide framing and connection handling, gathered before they are checked together.</summary>
    private ref struct HeaderFields
    {
        private long _contentLength;
        private int _hosts;
        private bool _hasContentLength;
        private bool _hasTransferEncoding;
        private bool _chunked;
        private bool _close;
        private bool _keepAlive;
        private bool _expectContinue;

        public HeaderFields() => _contentLength = -1;

        public HttpParseStatus Add(ReadOnlySpan<byte> line, HttpRequestHead head)
        {
            if (line.Length > 0 && line[0] is (byte)' ' or (byte)'\t') return head.Fail(400, "Folded header lines are not accepted.");
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) return head.Fail(400, "A header line has no name or no colon.");
            var name = line[..colon];
            if (!HttpSyntax.IsToken(name)) return head.Fail(400, "A header name has a space or a character not allowed in a token.");
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (HttpSyntax.HasControlCharacter(value)) return head.Fail(400, "A header value has a control character.");

            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8)) return AddContentLength(value, head);
            if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                // A second Transfer-Encoding line lists more codings: nothing but one "chunked" is supported.
                _chunked = !_hasTransferEncoding && Ascii.EqualsIgnoreCase(value, "chunked"u8);
                _hasTransferEncoding = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Host"u8)) _hosts++;
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8)) AddConnectionOptions(value);
            else if (Ascii.EqualsIgnoreCase(name, "Expect"u8)) _expectContinue = Ascii.EqualsIgnoreCase(value, "100-continue"u8);
            return HttpParseStatus.Complete;
        }

        private HttpParseStatus AddContentLength(ReadOnlySpan<byte> value, HttpRequestHead head)
        {
            if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return head.Fail(400, "Content-Length is not a number.");
            // More than 18 digits cannot fit a long, and is far over any body limit anyway.
            long length = value.Length > 18 ? long.MaxValue : long.Parse(value);
            if (_hasContentLength && length != _contentLength) return head.Fail(400, "Two different Content-Length values.");
            _hasContentLength = true;
            _contentLength = length;
            return HttpParseStatus.Complete;
        }

        private void AddConnectionOptions(ReadOnlySpan<byte> value)
        {
            foreach (var range in value.Split((byte)','))
            {
                var option = value[range].Trim(" \t"u8);
                if (Ascii.EqualsIgnoreCase(option, "close"u8)) _close = true;
                else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) _keepAlive = true;
            }
        }

        public readonly HttpParseStatus Apply(HttpRequestHead head)
        {
            if (head.IsHttp11 ? _hosts != 1 : _hosts > 1) return head.Fail(400, "An HTTP/1.1 request needs exactly one Host header.");
            if (_hasTransferEncoding)
            {
                // Both framings at once is how requests are smuggled past proxies: refuse (RFC 9112 §6.3).
                if (_hasContentLength) return head.Fail(400, "Both Transfer-Encoding and Content-Length.");
                if (!head.IsHttp11) return head.Fail(400, "Transfer-Encoding in an HTTP/1.0 request.");
                if (!_chunked) return head.Fail(501, "Only Transfer-Encoding: chunked is supported.");
            }
            head.ContentLength = _contentLength;
            head.IsChunked = _chunked;
            head.KeepAlive = !_close && (head.IsHttp11 || _keepAlive);
            head.ExpectContinue = _expectContinue;
            return HttpParseStatus.Complete;
        }
    }
}
