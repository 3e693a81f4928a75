using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.Mcp;

/// <summary>
/// One tool of an MCP server, offered to the model of Overseer's own loop as
/// <c>mcp__{server}__{tool}</c> — Claude Code's name for it, so the gate's rules (<c>mcp__*</c>,
/// <c>mcp__github__get_*</c>) and the dashboard treat both runtimes alike. It runs only after the
/// gate allowed the call (<see cref="ToolDispatcher"/>).
/// </summary>
internal sealed class McpAgentTool(string server, McpClientTool tool, int maxOutputChars) : IAgentTool
{
    public ToolDefinition Definition { get; } = new(NameFor(server, tool.Name),
        $"[MCP server {server}] {(string.IsNullOrWhiteSpace(tool.Description) ? tool.Name : tool.Description)}", tool.JsonSchema);

    public static string NameFor(string server, string tool) => $"mcp__{server}__{tool}";

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var arguments = input.ValueKind == JsonValueKind.Object
            ? input.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : [];
        CallToolResult result;
        try
        {
            result = await tool.CallAsync(arguments, cancellationToken: cancellationToken);
        }
        catch (McpException ex)
        {
            return ToolOutcome.Error($"MCP server {server} refused {tool.Name}: {ex.Message}");
        }
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (text.Length > 0)
                text.Append('\n');
            text.Append(block switch
            {
                TextContentBlock t => t.Text,
                ImageContentBlock i => $"[image {i.MimeType}]",
                EmbeddedResourceBlock { Resource: TextResourceContents r } => r.Text,
                ResourceLinkBlock l => $"[resource {l.Uri}]",
                _ => $"[{block.Type}]",
            });
        }
        if (text.Length == 0 && result.StructuredContent is { } structured)
            text.Append(structured.GetRawText());
        var content = text.Length > maxOutputChars ? text.ToString(0, maxOutputChars) + "\n… (output cut)" : text.ToString();
        return new ToolOutcome(content, result.IsError == true);
    }
}
