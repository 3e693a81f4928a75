using System.Globalization;

namespace Overseer.Contracts.Text;

/// <summary>
/// What a name a person gives (a project, anything shown in a list) may contain. Control
/// characters, bidirectional overrides and invisible characters (BOM, zero-width) let a name
/// look like another one or reorder the text around it in a terminal or a page, so they are
/// refused rather than stripped: the caller learns the name they sent is not the name they see.
/// </summary>
public static class NameText
{
    /// <summary>Why <paramref name="name"/> is not acceptable as the value of <paramref name="field"/>; null when it is.</summary>
    public static string? Problem(string name, string field)
    {
        if (!JsonTextCheck.IsWellFormed(name))
            return $"{field} is not valid Unicode text (it has an unpaired surrogate).";
        foreach (var rune in name.EnumerateRunes())
        {
            if (Describe(rune) is { } what)
                return $"{field} may not contain {what} (U+{rune.Value:X4}).";
        }
        return null;
    }

    /// <summary>Whether a name may hold <paramref name="rune"/> (what <see cref="Problem"/> checks, one character at a time).</summary>
    public static bool IsAllowed(System.Text.Rune rune) => Describe(rune) is null;

    private static string? Describe(System.Text.Rune rune)
    {
        switch (rune.Value)
        {
            case 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069):
                return "a bidirectional-text control";
            case 0xFEFF or (>= 0x200B and <= 0x200D) or 0x2060 or 0x180E:
                return "an invisible character (byte-order mark or zero-width)";
            case 0xFFFE or 0xFFFF:
                return "a noncharacter";
        }
        return System.Text.Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control => "a control character",
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line break",
            UnicodeCategory.Format => "an invisible formatting character",
            UnicodeCategory.PrivateUse => "a private-use character",
            _ => null,
        };
    }
}
