using System.Globalization;
using System.Text;
using CsCheck;

namespace Overseer.Core.Tests.Properties;

/// <summary>
/// Generators shared by the property tests: text rich in what breaks parsers (shell and JSON
/// metacharacters, control characters, both halves of surrogate pairs on their own, bidi controls)
/// and a fixed seed with a small budget, so a run is repeatable and the whole suite takes seconds.
/// </summary>
internal static class Gens
{
    /// <summary>CsCheck's seed format; change it to explore, or set CsCheck_Seed to replay a failure.</summary>
    public const string Seed = "1xn1HwIbwfUS";

    public const long Iterations = 400;

    private const string Metacharacters = "'\"\\$`(){}[]|&;<>*?!#~=% \n\t\r-/.:,@^";

    public static readonly Gen<char> AnyChar = Gen.Frequency(
        (6, (IGen<char>)Gen.Char[' ', '~']),
        (4, Gen.Char[Metacharacters]),
        (1, Gen.Char['\0', '\u001F']),
        (1, Gen.Char['\uD800', '\uDFFF']),
        (1, Gen.Char["\u202E\u2066\u200B\uFEFF\u00A0\u0085\u2028\uFFFD"]),
        (1, Gen.Char['\u0080', '\uFFFF']));

    public static readonly Gen<string> AnyString = AnyChar.Array[0, 40].Select(chars => new string(chars));

    /// <summary>Like <see cref="AnyString"/> but valid Unicode: surrogates only in pairs (what the server lets through).</summary>
    public static readonly Gen<string> WellFormedString = Gen.Frequency(
        (12, (IGen<string>)AnyChar.Where(c => !char.IsSurrogate(c)).Select(c => c.ToString())),
        (1, Gen.OneOf("😀", "𝄞", "\U0001F9EA")))
        .Array[0, 40].Select(parts => string.Concat(parts));

    /// <summary>A string as a JSON literal that escapes every character outside printable ASCII, surrogates included, as \uXXXX.</summary>
    public static string JsonLiteral(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
                builder.Append(c);
            else
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return builder.Append('"').ToString();
    }
}
