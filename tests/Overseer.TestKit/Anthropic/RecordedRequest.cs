using System.Text.Json.Nodes;

namespace Overseer.TestKit.Anthropic;

/// <summary>One HTTP request the mock received, as the CLI sent it.</summary>
/// <param name="Path">The path without the query string, e.g. <c>/v1/messages</c>.</param>
/// <param name="Query">The query string including '?', e.g. <c>?beta=true</c>, or empty.</param>
/// <param name="Body">The parsed JSON body, or null when there was none or it was not JSON.</param>
/// <param name="Headers">Request headers; names are case-insensitive.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    JsonNode? Body,
    IReadOnlyDictionary<string, string> Headers,
    MockRequestKind Kind)
{
    /// <summary>The body's <c>messages</c> array (empty when absent).</summary>
    public JsonArray Messages => Body?["messages"] as JsonArray ?? [];

    /// <summary>The whole body as JSON text, handy for "contains" assertions.</summary>
    public string BodyText => Body?.ToJsonString() ?? "";
}
