using System.Text.Json.Nodes;

namespace Overseer.TestKit.OpenAI;

/// <summary>One request <see cref="MockOpenAIServer"/> received.</summary>
/// <param name="Path">Without the query string, e.g. <c>/v1/chat/completions</c>.</param>
public sealed record RecordedChatRequest(string Method, string Path, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsChat => Path.EndsWith("/chat/completions", StringComparison.Ordinal);

    /// <summary>The body's <c>messages</c> (empty when absent).</summary>
    public JsonArray Messages => Body?["messages"] as JsonArray ?? [];

    /// <summary>The tools sent (empty when none: plain chat).</summary>
    public JsonArray Tools => Body?["tools"] as JsonArray ?? [];

    public string BodyText => Body?.ToJsonString() ?? "";
}
