using System.Globalization;
using System.Text;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// The word-level steps bash takes after quote removal that the lexer cannot do inline: <c>$'...'</c> escapes,
/// brace expansion (<c>{a,b}</c> is two words, <c>{~/.bashrc,}</c> is the home file) and the tilde expansion
/// that follows it. Unquoted braces, commas and tildes are carried through the lexer as private-use marks so a
/// quoted <c>'{a,b}'</c> stays one literal word.
/// </summary>
internal static class BashWords
{
    public const char Open = '\uE000';
    public const char Comma = '\uE001';
    public const char Close = '\uE002';
    public const char Tilde = '\uE003';

    // More words than this from one word: expansion is a bomb, not a path list; keep what we have.
    private const int MaxWords = 256;

    /// <summary>Brace-expands a marked word, then expands a leading tilde and turns the remaining marks back into text.</summary>
    public static List<string> Expand(string marked, string home)
    {
        var words = new List<string>();
        ExpandBraces(marked, words);
        var result = new List<string>(words.Count);
        foreach (var word in words)
        {
            var text = word;
            if (text.Length > 0 && text[0] == Tilde && (text.Length == 1 || text[1] == '/'))
                text = home + text[1..];
            text = Restore(text);
            // An empty word made by brace expansion ({a,}) disappears, as in bash.
            if (text.Length > 0 || words.Count == 1)
                result.Add(text);
        }
        return result;
    }

    public static string Restore(string text) =>
        text.Replace(Open, '{').Replace(Comma, ',').Replace(Close, '}').Replace(Tilde, '~');

    private static void ExpandBraces(string word, List<string> into)
    {
        for (var open = word.IndexOf(Open, StringComparison.Ordinal); open >= 0; open = word.IndexOf(Open, open + 1))
        {
            var depth = 0;
            var parts = new List<int>();
            for (var i = open; i < word.Length; i++)
            {
                if (word[i] == Open)
                    depth++;
                else if (word[i] == Comma && depth == 1)
                    parts.Add(i);
                else if (word[i] == Close && --depth == 0)
                {
                    if (parts.Count == 0)
                        break;
                    var prefix = word[..open];
                    var suffix = word[(i + 1)..];
                    var start = open + 1;
                    foreach (var end in parts.Append(i))
                    {
                        if (into.Count >= MaxWords)
                            return;
                        ExpandBraces(prefix + word[start..end] + suffix, into);
                        start = end + 1;
                    }
                    return;
                }
            }
        }
        into.Add(word);
    }

    /// <summary>Decodes the body of <c>$'...'</c> from <paramref name="pos"/> (just after the opening quote) to the closing quote.</summary>
    public static bool ReadAnsiC(string text, ref int pos, StringBuilder sb)
    {
        while (pos < text.Length && text[pos] != '\'')
        {
            var c = text[pos++];
            if (c != '\\' || pos >= text.Length)
            {
                sb.Append(c);
                continue;
            }
            var e = text[pos++];
            switch (e)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'e' or 'E': sb.Append('\u001b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': AppendCodePoint(sb, ReadNumber(text, ref pos, 16, 2), e); break;
                case 'u': AppendCodePoint(sb, ReadNumber(text, ref pos, 16, 4), e); break;
                case 'U': AppendCodePoint(sb, ReadNumber(text, ref pos, 16, 8), e); break;
                case >= '0' and <= '7':
                    pos--;
                    AppendCodePoint(sb, ReadNumber(text, ref pos, 8, 3), e);
                    break;
                case 'c' when pos < text.Length:
                    sb.Append((char)(char.ToUpperInvariant(text[pos++]) ^ 0x40));
                    break;
                default:
                    // \\ \' \" \? stand for themselves; an unknown escape keeps its backslash.
                    if (e is not ('\\' or '\'' or '"' or '?'))
                        sb.Append('\\');
                    sb.Append(e);
                    break;
            }
        }
        if (pos >= text.Length)
            return false;
        pos++;
        return true;
    }

    private static void AppendCodePoint(StringBuilder sb, int? value, char escape)
    {
        if (value is null)
            sb.Append('\\').Append(escape);
        else if (value.Value is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
            sb.Append(char.ConvertFromUtf32(value.Value));
    }

    private static int? ReadNumber(string text, ref int pos, int radix, int maxDigits)
    {
        var value = 0;
        var digits = 0;
        for (; digits < maxDigits && pos < text.Length; digits++)
        {
            if (!int.TryParse(text.AsSpan(pos, 1), radix == 16 ? NumberStyles.HexNumber : NumberStyles.None, CultureInfo.InvariantCulture, out var digit) || digit >= radix)
                break;
            value = value * radix + digit;
            pos++;
        }
        return digits == 0 ? null : value;
    }
}
