using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>Claude Code's <c>Write</c>: creates or replaces a file with <c>content</c>.</summary>
internal sealed class WriteTool : IAgentTool
{
    public ToolDefinition Definition { get; } = new("Write",
        "Writes a file to the local filesystem, replacing the file if it exists. file_path must be an absolute path inside the working directory. " +
        "Prefer Edit for changes to an existing file.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The absolute path to the file to write (must be absolute, not relative)"},
          "content":{"type":"string","description":"The content to write to the file"}},
         "required":["file_path","content"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var raw = ToolInput.RequiredString(input, "file_path");
        var content = ToolInput.RequiredString(input, "content");
        var path = context.Files.Resolve(raw, write: true);
        if (Directory.Exists(path))
            return ToolOutcome.Error($"EISDIR: {raw} is a directory.");
        var existed = File.Exists(path);
        await FileWriter.WriteAsync(path, content, cancellationToken);
        return new ToolOutcome(existed ? $"The file {path} has been updated successfully." : $"File created successfully at: {path}");
    }
}
