using System.Text;

namespace Overseer.Core.Safety.Policy;

/// <summary>Finds where a piece of shell text ends without interpreting it: a bracketed body, a here-document body.</summary>
internal static class BashScan
{
    /// <summary>
    /// Reads from <paramref name="pos"/> (just after the opening bracket) to the matching <paramref name="close"/>, with quotes
    /// and nesting respected; returns the text inside and whether the bracket was closed. The position ends after it.
    /// </summary>
    public static (string Inner, bool Closed) Balanced(string text, ref int pos, char close)
    {
        var open = close == ')' ? '(' : '{';
        var start = pos;
        var level = 1;
        while (pos < text.Length)
        {
            var c = text[pos];
            if (c == '\\')
                pos += 2;
            else if (c == '\'')
            {
                var end = text.IndexOf('\'', pos + 1);
                pos = end < 0 ? text.Length : end + 1;
            }
            else if (c == '"')
                SkipDoubleQuoted(text, ref pos);
            else if (c == '`')
            {
                var end = text.IndexOf('`', pos + 1);
                pos = end < 0 ? text.Length : end + 1;
            }
            else
            {
                if (c == open)
                    level++;
                else if (c == close && --level == 0)
                {
                    var inner = text[start..pos];
                    pos++;
                    return (inner, true);
                }
                pos++;
            }
        }
        pos = Math.Min(pos, text.Length);
        return (text[start..], false);
    }

    /// <summary>Reads here-document lines from <paramref name="pos"/> up to the line that is <paramref name="delimiter"/>.</summary>
    public static (string Body, bool Terminated) HeredocBody(string text, ref int pos, string delimiter, bool stripTabs)
    {
        var body = new StringBuilder();
        while (pos < text.Length)
        {
            var end = text.IndexOf('\n', pos);
            var line = end < 0 ? text[pos..] : text[pos..end];
            pos = end < 0 ? text.Length : end + 1;
            if ((stripTabs ? line.TrimStart('\t') : line) == delimiter)
                return (body.ToString(), true);
            body.Append(line).Append('\n');
        }
        return (body.ToString(), false);
    }

    private static void SkipDoubleQuoted(string text, ref int pos)
    {
        pos++;
        while (pos < text.Length && text[pos] != '"')
            pos += text[pos] == '\\' ? 2 : 1;
        pos++;
    }
}
