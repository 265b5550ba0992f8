using System.Buffers;
using System.Text;

namespace EventLoop.Samples.Http;

/// <summary>The character classes of RFC 9110 the parser checks against.</summary>
internal static class HttpSyntax
{
    // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static readonly SearchValues<byte> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // Field values may hold visible characters, spaces, tabs and obs-text (0x80-0xFF); every other control is refused.
    private static readonly SearchValues<byte> ForbiddenInValues =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(b => b != '\t').Select(b => (byte)b), 0x7F]);

    public static bool IsToken(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenCharacters);

    public static bool HasControlCharacter(ReadOnlySpan<byte> value) => value.ContainsAny(ForbiddenInValues);

    public static bool IsHttpScheme(ReadOnlySpan<byte> scheme) => Ascii.EqualsIgnoreCase(scheme, "http"u8) || Ascii.EqualsIgnoreCase(scheme, "https"u8);

    /// <summary>Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.</summary>
    public static RequestMethod Method(ReadOnlySpan<byte> token) => token switch
    {
        _ when token.SequenceEqual("GET"u8) => RequestMethod.Get,
        _ when token.SequenceEqual("HEAD"u8) => RequestMethod.Head,
        _ when token.SequenceEqual("POST"u8) => RequestMethod.Post,
        _ when token.SequenceEqual("PUT"u8) => RequestMethod.Put,
        _ when token.SequenceEqual("DELETE"u8) => RequestMethod.Delete,
        _ when token.SequenceEqual("OPTIONS"u8) => RequestMethod.Options,
        _ => RequestMethod.Other,
    };
}
