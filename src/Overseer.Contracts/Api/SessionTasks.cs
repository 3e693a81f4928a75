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
        var line = "";
        foreach (var candidate in text.AsSpan().EnumerateLines())
        {
            if (!candidate.IsWhiteSpace())
            {
                line = candidate.Trim().ToString();
                break;
            }
        }
        var clean = new System.Text.StringBuilder(line.Length);
        foreach (var rune in line.EnumerateRunes())
            clean.Append(NameText.Problem(rune.ToString(), "text") is null ? rune.ToString() : " ");
        var label = clean.ToString().Trim();
        if (label.Length > max)
            label = label[..(char.IsHighSurrogate(label[max - 2]) ? max - 2 : max - 1)] + "…";
        return label;
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
