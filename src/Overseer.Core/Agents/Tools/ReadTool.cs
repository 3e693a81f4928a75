using System.Globalization;
using System.Text;
using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>Claude Code's <c>Read</c>: a text file with numbered lines (<c>cat -n</c>), from <c>offset</c>, at most <c>limit</c> lines.</summary>
internal sealed class ReadTool : IAgentTool
{
    private const int MaxLineChars = 2000;

    public ToolDefinition Definition { get; } = new("Read",
        "Reads a file from the local filesystem. file_path must be an absolute path inside the working directory. " +
        "By default it reads up to 2000 lines from the start; offset (1-based line) and limit read a part of a long file. " +
        "Lines longer than 2000 characters are cut. The result is numbered like `cat -n`.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The absolute path to the file to read"},
          "offset":{"type":"number","description":"The line number to start reading from"},
          "limit":{"type":"number","description":"The number of lines to read"}},
         "required":["file_path"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var raw = ToolInput.RequiredString(input, "file_path");
        var offset = ToolInput.OptionalInteger(input, "offset") ?? 1;
        var limit = ToolInput.OptionalInteger(input, "limit") ?? context.Limits.MaxReadLines;
        if (offset < 1)
            offset = 1;
        if (limit < 1)
            return ToolOutcome.Error("InputValidationError: limit must be at least 1.");
        var path = context.Files.Resolve(raw, write: false);
        if (Directory.Exists(path))
            return ToolOutcome.Error($"EISDIR: illegal operation on a directory, read '{raw}'. Use Glob or Bash's ls to list a directory.");
        var file = new FileInfo(path);
        if (!file.Exists)
            return ToolOutcome.Error($"File does not exist: {raw}");
        if (file.Length == 0)
            return new ToolOutcome("<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>");
        if (file.Length > context.Limits.MaxReadBytes && offset == 1 && limit == context.Limits.MaxReadLines)
            return ToolOutcome.Error($"File content ({file.Length} bytes) exceeds the maximum of {context.Limits.MaxReadBytes} bytes. Use offset and limit to read a part of it, or Grep to search it.");
        if (await LooksBinaryAsync(path, cancellationToken))
            return ToolOutcome.Error($"{raw} is a binary file; Read shows text files only.");

        var result = new StringBuilder();
        long number = 0;
        var shown = 0L;
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (number < offset)
                continue;
            if (shown == limit || result.Length > context.Limits.MaxOutputChars * 4)
                break;
            if (line.Length > MaxLineChars)
                line = line[..MaxLineChars] + "… [line cut at 2000 characters]";
            result.Append(number.ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append('\t').Append(line).Append('\n');
            shown++;
        }
        if (shown == 0)
            return new ToolOutcome($"<system-reminder>Warning: the file has {number} lines; offset {offset} is past its end.</system-reminder>");
        return new ToolOutcome(result.ToString().TrimEnd('\n'));
    }

    private static async Task<bool> LooksBinaryAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        await using var stream = File.OpenRead(path);
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return buffer.AsSpan(0, read).Contains((byte)0);
    }
}
