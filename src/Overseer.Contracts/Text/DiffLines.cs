namespace Overseer.Contracts.Text;

/// <summary>What a line of a unified diff does, as the dashboard colours it and the terminal client too.</summary>
public enum DiffLineKind
{
    File,
    Hunk,
    Added,
    Removed,
    Context,
}

public static class DiffLines
{
    public static DiffLineKind KindOf(string line) =>
        line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("diff ", StringComparison.Ordinal) || line.StartsWith("index ", StringComparison.Ordinal) ? DiffLineKind.File
        : line.StartsWith("@@", StringComparison.Ordinal) ? DiffLineKind.Hunk
        : line.StartsWith('+') ? DiffLineKind.Added
        : line.StartsWith('-') ? DiffLineKind.Removed
        : DiffLineKind.Context;
}
