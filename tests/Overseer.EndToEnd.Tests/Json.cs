using System.Text.Json.Nodes;

namespace Overseer.EndToEnd.Tests;

/// <summary>Small readers for the CLI's JSON lines.</summary>
internal static class Json
{
    public static string? Str(this JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool Is(this JsonObject message, string type, string? subtype = null) =>
        Overseer.TestKit.Anthropic.ClaudeProcess.IsType(message, type, subtype);

    /// <summary>The content blocks of an assistant or user line (a string content counts as no blocks).</summary>
    public static IEnumerable<JsonObject> Blocks(this JsonObject message) =>
        (message["message"]?["content"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The tool_result blocks of the user lines among <paramref name="messages"/>.</summary>
    public static IEnumerable<JsonObject> ToolResults(this IEnumerable<JsonObject> messages) =>
        messages.Where(m => m.Is("user")).SelectMany(Blocks).Where(b => b["type"].Str() == "tool_result");
}
