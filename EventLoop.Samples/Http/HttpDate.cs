namespace EventLoop.Samples.Http;

/// <summary>
/// The "Date: ...\r\n" header line, formatted once a second rather than per response (as Kestrel
/// and nginx do): a response copies the cached bytes.
/// </summary>
internal sealed class HttpDate
{
    private const int Prefix = 6; // "Date: "
    private readonly byte[] _line = new byte[Prefix + 29 + 2];
    private long _second = long.MinValue;

    public HttpDate()
    {
        "Date: "u8.CopyTo(_line);
        "\r\n"u8.CopyTo(_line.AsSpan(_line.Length - 2));
    }

    /// <summary>The whole header line, CRLF included.</summary>
    public ReadOnlySpan<byte> HeaderLine => _line;

    /// <summary>Reformats the line if <paramref name="now"/> is in another second than the last call.</summary>
    public void Refresh(DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        if (second == _second) return;
        _second = second;
        // "r" is RFC 1123 (IMF-fixdate), always 29 characters: "Sun, 06 Nov 1994 08:49:37 GMT".
        now.ToUniversalTime().TryFormat(_line.AsSpan(Prefix, 29), out _, "r");
    }
}
