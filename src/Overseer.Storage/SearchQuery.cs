using System.Globalization;
using System.Text;

namespace Overseer.Storage;

/// <summary>
/// What a person typed into search, as plain terms: runs of letters and digits, a trailing
/// <c>*</c> for a prefix, and "double quotes" around a phrase. Nothing else has a meaning
/// (no operators, no columns, no NEAR), so any text is a valid query and each store turns
/// the terms into its own syntax (FTS5 MATCH, a PostgreSQL tsquery) without parsing user text.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<SearchTerm> Terms)
{
    /// <summary>More terms than this are ignored: a query is a few words, not a document.</summary>
    public const int MaxTerms = 16;

    public bool IsEmpty => Terms.Count == 0;

    public static SearchQuery Parse(string text)
    {
        var terms = new List<SearchTerm>();
        var phrase = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                word.Append(rune.ToString());
                continue;
            }
            var prefix = rune.Value == '*' && word.Length > 0;
            if (word.Length > 0)
            {
                phrase.Add(word.ToString());
                word.Clear();
            }
            if (!quoted && phrase.Count > 0)
                Flush(prefix);
            if (rune.Value == '"')
            {
                if (quoted)
                    Flush(prefix: false);
                quoted = !quoted;
            }
        }
        if (word.Length > 0)
            phrase.Add(word.ToString());
        Flush(prefix: false);
        return new SearchQuery(terms.Take(MaxTerms).ToList());

        void Flush(bool prefix)
        {
            if (phrase.Count == 0)
                return;
            terms.Add(new SearchTerm([.. phrase], prefix));
            phrase.Clear();
        }
    }

    /// <summary>The characters a word is made of, as SQLite's unicode61 tokenizer sees them: letters, digits and combining marks.</summary>
    private static bool IsWordRune(Rune rune) =>
        Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    public override string ToString() => string.Join(' ', Terms.Select(t => t.ToString()));
}

/// <summary>One word, or a phrase of words that must follow each other; <see cref="Prefix"/> matches words starting with the last one.</summary>
public sealed record SearchTerm(IReadOnlyList<string> Words, bool Prefix)
{
    public override string ToString() => (Words.Count > 1 ? "\"" + string.Join(' ', Words) + "\"" : Words[0]) + (Prefix ? "*" : "");
}
