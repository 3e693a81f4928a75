using System.Text.Json;

namespace Overseer.Contracts.Text;

/// <summary>
/// A file tool's call (Edit, MultiEdit, Write, NotebookEdit) as a unified-style diff: the text
/// it replaces as <c>-</c> lines, the new text as <c>+</c> lines, one <c>@@</c> between edits. The
/// dashboard and the terminal client both show it, so they show the same thing.
/// </summary>
public static class EditDiff
{
    public static bool Applies(string tool) => tool is "Edit" or "MultiEdit" or "Write" or "NotebookEdit";

    /// <summary>The diff's lines; empty when the tool is not a file edit or its input has no text.</summary>
    public static IReadOnlyList<string> Lines(string tool, JsonElement input)
    {
        var lines = new List<string>();
        if (!Applies(tool))
            return lines;
        if (tool == "Write")
        {
            lines.AddRange((String(input, "content") ?? "").Split('\n').Select(l => "+" + l));
            return lines;
        }
        if (input.ValueKind == JsonValueKind.Object && input.TryGetProperty("edits", out var edits) && edits.ValueKind == JsonValueKind.Array)
        {
            foreach (var edit in edits.EnumerateArray())
                Add(lines, String(edit, "old_string"), String(edit, "new_string"));
        }
        else
        {
            Add(lines, String(input, "old_string") ?? String(input, "old_source"), String(input, "new_string") ?? String(input, "new_source"));
        }
        return lines;
    }

    /// <summary>The file the call touches, when its input names one.</summary>
    public static string? FilePath(JsonElement input) => String(input, "file_path") ?? String(input, "notebook_path");

    private static void Add(List<string> lines, string? oldText, string? newText)
    {
        if (lines.Count > 0)
            lines.Add("@@");
        if (!string.IsNullOrEmpty(oldText))
            lines.AddRange(oldText.Split('\n').Select(l => "-" + l));
        if (!string.IsNullOrEmpty(newText))
            lines.AddRange(newText.Split('\n').Select(l => "+" + l));
    }

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
