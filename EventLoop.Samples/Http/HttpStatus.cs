namespace EventLoop.Samples.Http;

/// <summary>The status codes the server answers with, as ready-made status lines.</summary>
internal static class HttpStatus
{
    public static ReadOnlySpan<byte> StatusLine(int status) => status switch
    {
        200 => "HTTP/1.1 200 OK\r\n"u8,
        400 => "HTTP/1.1 400 Bad Request\r\n"u8,
        404 => "HTTP/1.1 404 Not Found\r\n"u8,
        405 => "HTTP/1.1 405 Method Not Allowed\r\n"u8,
        408 => "HTTP/1.1 408 Request Timeout\r\n"u8,
        413 => "HTTP/1.1 413 Content Too Large\r\n"u8,
        414 => "HTTP/1.1 414 URI Too Long\r\n"u8,
        431 => "HTTP/1.1 431 Request Header Fields Too Large\r\n"u8,
        501 => "HTTP/1.1 501 Not Implemented\r\n"u8,
        505 => "HTTP/1.1 505 HTTP Version Not Supported\r\n"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No status line for this code."),
    };
}
