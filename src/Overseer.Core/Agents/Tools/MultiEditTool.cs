using System.Text;
using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>Claude Code's <c>MultiEdit</c>: several edits of one file, in order, all or none.</summary>
internal sealed class MultiEditTool : IAgentTool
{
    public ToolDefinition Definition { get; } = new("MultiEdit",
        "Makes several exact string replacements in one file, applied in order, each to the result of the one before. " +
        "Either every edit applies or the file is left unchanged. Each edit follows Edit's rules.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The absolute path to the file to modify"},
          "edits":{"type":"array","minItems":1,"description":"Array of edit operations to perform sequentially on the file",
            "items":{"type":"object","properties":{
              "old_string":{"type":"string","description":"The text to replace"},
              "new_string":{"type":"string","description":"The text to replace it with"},
              "replace_all":{"type":"boolean","default":false,"description":"Replace all occurrences of old_string (default false)"}},
             "required":["old_string","new_string"],"additionalProperties":false}}},
         "required":["file_path","edits"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var raw = ToolInput.RequiredString(input, "file_path");
        if (!input.TryGetProperty("edits", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            return ToolOutcome.Error("InputValidationError: `edits` must be a non-empty array of {old_string, new_string, replace_all?}.");
        var edits = list.EnumerateArray()
            .Select(e => new TextEdit(ToolInput.RequiredString(e, "old_string"), ToolInput.RequiredString(e, "new_string"), ToolInput.OptionalBool(e, "replace_all")))
            .ToList();
        var path = context.Files.Resolve(raw, write: true);
        var exists = File.Exists(path);
        if (!exists && edits[0].OldString.Length > 0)
            return ToolOutcome.Error($"File does not exist: {raw}");
        var text = exists ? await FileWriter.ReadAsync(path, cancellationToken) : "";
        var start = 0;
        if (!exists)
        {
            // Like Edit, an empty old_string first creates the file.
            text = edits[0].NewString;
            start = 1;
        }
        for (var i = start; i < edits.Count; i++)
        {
            try
            {
                text = edits[i].Apply(text);
            }
            catch (ToolInputException ex)
            {
                return ToolOutcome.Error($"Edit {i + 1} of {edits.Count} failed; the file was not changed. {ex.Message}");
            }
        }
        await FileWriter.WriteAsync(path, text, cancellationToken);
        var result = new StringBuilder($"Applied {edits.Count} edit{(edits.Count == 1 ? "" : "s")} to {path}:");
        for (var i = 0; i < edits.Count; i++)
            result.Append('\n').Append(i + 1).Append(". Replaced \"").Append(Cut(edits[i].OldString)).Append("\" with \"").Append(Cut(edits[i].NewString)).Append('"');
        return new ToolOutcome(result.ToString());
    }

    private static string Cut(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
