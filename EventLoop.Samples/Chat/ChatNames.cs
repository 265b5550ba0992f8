using System.Globalization;
using System.Text;

namespace EventLoop.Samples.Chat;

/// <summary>
/// Which names the chat accepts. A name must look like what it is: "bob" and "bob" + U+200B
/// print alike, so invisible characters are refused — not stripped, which would give a client a
/// name it did not type.
/// </summary>
public static class ChatNames
{
    /// <summary>Names longer than this many characters (Unicode scalar values) are not valid.</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// Whether <paramref name="name"/> may be used: 1 to <see cref="MaxLength"/> characters, none of
    /// which prints as nothing or as a blank — no whitespace, no control or format characters
    /// (U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, bidirectional overrides...), no other
    /// default-ignorable code point (variation selectors, the Hangul fillers), no unassigned or
    /// private-use code point, and no U+FFFD (which stands for invalid UTF-8).
    /// </summary>
    /// <remarks>
    /// Names are compared code point by code point and are not normalized: the project runs with
    /// invariant globalization, under which .NET does not normalize, so "é" typed as one code
    /// point and as "e" + U+0301 are two names. Letters that merely look alike across scripts
    /// (Latin "a", Cyrillic "а") are not caught either.
    /// </remarks>
    public static bool IsValid(string name)
    {
        int length = 0;
        foreach (var rune in name.EnumerateRunes())
        {
            if (++length > MaxLength || !IsVisible(rune)) return false;
        }
        return length > 0;
    }

    private static bool IsVisible(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune) || rune == Rune.ReplacementChar || IsOtherDefaultIgnorable(rune.Value)) return false;
        return Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }

    /// <summary>Default_Ignorable_Code_Point (Unicode DerivedCoreProperties) outside the Format category.</summary>
    private static bool IsOtherDefaultIgnorable(int c) =>
        c is 0x034F                 // combining grapheme joiner
            or 0x115F or 0x1160     // Hangul choseong / jungseong fillers
            or 0x17B4 or 0x17B5     // Khmer inherent vowels
            or (>= 0x180B and <= 0x180F) // Mongolian free variation selectors
            or 0x3164 or 0xFFA0     // Hangul fillers
            or (>= 0xFE00 and <= 0xFE0F) // variation selectors
            or (>= 0xE0100 and <= 0xE01EF); // variation selectors supplement
}
