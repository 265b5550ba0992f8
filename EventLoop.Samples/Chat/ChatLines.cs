using System.Text;

namespace EventLoop.Samples.Chat;

/// <summary>
/// What a chat line is, for both styles: the bytes before "\n", without one "\r" right before
/// it (so "\r\n" and "\n" endings are the same), at most <see cref="ChatText.MaxLineBytes"/> of
/// them. The limit is on the line, not its terminator.
/// </summary>
public static class ChatLines
{
    /// <summary>How many bytes a reader may gather before the "\n": a full line and the "\r" that may end it.</summary>
    public const int ReadLimit = ChatText.MaxLineBytes + 1;

    /// <summary>The line terminator the readers look for.</summary>
    public static ReadOnlyMemory<byte> Terminator { get; } = "\n"u8.ToArray();

    /// <summary>
    /// The text of <paramref name="raw"/> (a line as read, with or without its "\n"), decoded as
    /// UTF-8; null if the line is over <see cref="ChatText.MaxLineBytes"/>.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.EndsWith("\n"u8)) raw = raw[..^1];
        if (raw.EndsWith("\r"u8)) raw = raw[..^1];
        return raw.Length > ChatText.MaxLineBytes ? null : Encoding.UTF8.GetString(raw);
    }
}
