using Overseer.Contracts.Text;

namespace Overseer.Contracts.Api;

/// <summary>
/// Sessions as tasks (seed 003): what a title, a description and a type may be, and the title a
/// session gets when none is given. The server validates with these; clients show the same limits.
/// </summary>
public static class SessionTasks
{
    public const int MaxTitleChars = 120;

    /// <summary>Markdown; longer belongs in the prompt or in the repository.</summary>
    public const int MaxDescriptionChars = 20_000;

    /// <summary>The kinds of work a session can be filed as.</summary>
    public static IReadOnlyList<string> Types { get; } = ["feature", "bugfix", "refactor", "docs", "review", "ops"];

    public static bool IsType(string? type) => type is not null && Types.Contains(type, StringComparer.Ordinal);

    /// <summary>The prompt's first non-blank line, trimmed, cut to <see cref="MaxTitleChars"/> with an ellipsis.</summary>
    public static string TitleFrom(string prompt) => Label(prompt, MaxTitleChars);

    /// <summary>
    /// Text fit to show on one line: its first non-blank line, trimmed, with what no name may hold
    /// (a tab, a bidirectional control) made a space, cut to <paramref name="max"/> characters with an ellipsis.
    /// </summary>
    public static string Label(string text, int max)
    {
        var line = ReadOnlySpan<char>.Empty;
        foreach (var candidate in text.AsSpan().EnumerateLines())
        {
            if (!candidate.IsWhiteSpace())
            {
                line = candidate.TrimStart();
                break;
            }
        }
        // Only the head is looked at: a prompt may be one line of a megabyte, read on every get.
        var cut = line.Length > max * 2;
        if (cut)
            line = line[..(char.IsHighSurrogate(line[max * 2 - 1]) ? max * 2 - 1 : max * 2)];
        var clean = new System.Text.StringBuilder(line.Length);
        Span<char> utf16 = stackalloc char[2];
        foreach (var rune in line.EnumerateRunes())
        {
            if (NameText.IsAllowed(rune))
                clean.Append(utf16[..rune.EncodeToUtf16(utf16)]);
            else
                clean.Append(' ');
        }
        var label = clean.ToString().Trim();
        if (label.Length <= max && !cut)
            return label;
        var keep = Math.Min(label.Length, max - 1);
        if (keep > 0 && char.IsHighSurrogate(label[keep - 1]))
            keep--;
        return label[..keep] + "…";
    }

    /// <summary>What is wrong with a title a person gave; null when it is fine.</summary>
    public static string? TitleProblem(string title)
    {
        if (string.IsNullOrWhiteSpace(title))
            return "title must not be empty (leave it out to use the prompt's first line).";
        if (title.Length > MaxTitleChars)
            return $"title is {title.Length} characters; at most {MaxTitleChars} are allowed.";
        return NameText.Problem(title, "title");
    }

    public static string? DescriptionProblem(string description) =>
        description.Length > MaxDescriptionChars
            ? $"description is {description.Length} characters; at most {MaxDescriptionChars} are allowed."
            : null;

    public static string TypeProblem(string type) => $"type '{type}' is not one of: {string.Join(", ", Types)}.";
}
