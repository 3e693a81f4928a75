namespace Overseer.Dashboard;

/// <summary>
/// An MCP tool's name as both runtimes give it, <c>mcp__{server}__{tool}</c>: the transcript shows the
/// tool and, beside it, which MCP server it belongs to.
/// </summary>
public static class McpToolName
{
    public static bool TryParse(string name, out string server, out string tool)
    {
        server = tool = "";
        if (!name.StartsWith("mcp__", StringComparison.Ordinal))
            return false;
        var rest = name["mcp__".Length..];
        var split = rest.IndexOf("__", StringComparison.Ordinal);
        if (split <= 0 || split + 2 >= rest.Length)
            return false;
        (server, tool) = (rest[..split], rest[(split + 2)..]);
        return true;
    }
}
