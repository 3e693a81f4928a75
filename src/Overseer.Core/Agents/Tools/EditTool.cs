using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>Claude Code's <c>Edit</c>: replaces <c>old_string</c> (unique unless <c>replace_all</c>) with <c>new_string</c>.</summary>
internal sealed class EditTool : IAgentTool
{
    public ToolDefinition Definition { get; } = new("Edit",
        "Performs an exact string replacement in a file. old_string must match the file exactly (including indentation) and be unique in it, " +
        "unless replace_all is true. With an empty old_string on a file that does not exist, creates it with new_string.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The absolute path to the file to modify"},
          "old_string":{"type":"string","description":"The text to replace"},
          "new_string":{"type":"string","description":"The text to replace it with (must be different from old_string)"},
          "replace_all":{"type":"boolean","default":false,"description":"Replace all occurrences of old_string (default false)"}},
         "required":["file_path","old_string","new_string"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var raw = ToolInput.RequiredString(input, "file_path");
        var edit = new TextEdit(ToolInput.RequiredString(input, "old_string"), ToolInput.RequiredString(input, "new_string"), ToolInput.OptionalBool(input, "replace_all"));
        var path = context.Files.Resolve(raw, write: true);
        if (!File.Exists(path))
        {
            if (edit.OldString.Length > 0)
                return ToolOutcome.Error($"File does not exist: {raw}");
            await FileWriter.WriteAsync(path, edit.NewString, cancellationToken);
            return new ToolOutcome($"File created successfully at: {path}");
        }
        var text = await FileWriter.ReadAsync(path, cancellationToken);
        var changed = edit.Apply(text);
        await FileWriter.WriteAsync(path, changed, cancellationToken);
        return new ToolOutcome($"The file {path} has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n{TextEdit.Snippet(changed, edit.NewString)}");
    }
}
