using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Api;
using Overseer.TestKit;
using Overseer.Triggers;

namespace Overseer.Tests.Triggers;

/// <summary>What the trigger tests share: a template to map to, triggers made through the API, and deliveries signed as each provider signs them.</summary>
internal static class TriggerKit
{
    public const string GitHubToken = "ghp_test_token_0123456789";

    /// <summary>What the scripted agent says and spends: the post-back must carry both.</summary>
    public const string Result = "Fixed the off-by-one in parser.c; all 12 tests pass.";

    public const string Script = $$$"""
        [{"say": "{{{Result}}}"}, {"usage": {"inputTokens": 1200, "outputTokens": 150, "costUsd": 0.0123, "model": "demo"}}]
        """;

    public const string IssueOpened = """
        {"action": "opened",
         "issue": {"number": 42, "title": "Parser drops the last line", "body": "Feed it a file without a trailing newline.",
                   "html_url": "https://github.com/octo/widgets/issues/42", "user": {"login": "mona"}},
         "repository": {"full_name": "octo/widgets"}, "sender": {"login": "mona"}}
        """;

    public static async Task<string> CreateTemplateAsync(HttpClient client)
    {
        var body = """
            {"name": "Fix an issue NAME", "category": "triggers",
             "prompt": "Fix issue #{{number}}: {{title}}\n\n{{body}}\n\n{{url}}",
             "parametersSchema": {"type": "object", "properties": {
                 "number": {"type": "string"}, "title": {"type": "string", "minLength": 1},
                 "body": {"type": "string", "default": "(no description)"}, "url": {"type": "string"}},
               "required": ["number", "title", "url"]}}
            """.Replace("NAME", Guid.NewGuid().ToString("N")[..6], StringComparison.Ordinal);
        using var response = await client.PostJsonAsync("/api/templates", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task PutSecretAsync(HttpClient client, string name, string value)
    {
        using var response = await client.PutAsync($"/api/secrets/{name}", new StringContent($"{{\"value\": \"{value}\", \"projects\": []}}", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public static async Task<CreatedTriggerDto> CreateTriggerAsync(HttpClient client, string json)
    {
        using var response = await client.PostJsonAsync("/api/triggers", json);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), TriggerJson.Default.CreatedTriggerDto)!;
    }

    /// <summary>A GitHub trigger whose one rule maps issues.opened to the template (scripted, so the session ends by itself).</summary>
    public static string GitHubTrigger(string projectId, string templateId, string apiBaseUrl, string rules = "") => $$$"""
        {"name": "widgets issues", "provider": "github", "projectId": "{{{projectId}}}",
         "rules": [{"event": "issues.opened", "templateId": "{{{templateId}}}", "runtime": "scripted", "script": {{{Script}}},
                    "parameters": {"number": "event.number", "title": "$.issue.title", "body": "/issue/body", "url": "event.url"}}{{{rules}}}],
         "postback": {"apiBaseUrl": "{{{apiBaseUrl}}}", "tokenSecret": "GITHUB_TOKEN"}}
        """;

    public static HttpRequestMessage GitHub(string triggerId, string secret, string payload, string kind = "issues", string? delivery = null)
    {
        var request = Json(triggerId, payload);
        request.Headers.Add("X-GitHub-Event", kind);
        request.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload))));
        return request;
    }

    public static HttpRequestMessage GitLab(string triggerId, string token, string payload, string kind = "Issue Hook")
    {
        var request = Json(triggerId, payload);
        request.Headers.Add("X-Gitlab-Event", kind);
        request.Headers.Add("X-Gitlab-Event-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Gitlab-Token", token);
        return request;
    }

    /// <summary>Signed as Overseer's own outgoing webhooks are: HMAC-SHA256 over "{timestamp}.{body}".</summary>
    public static HttpRequestMessage Generic(string triggerId, string secret, string payload, DateTimeOffset at, string? eventName = null)
    {
        var request = Json(triggerId, payload);
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(timestamp + "." + payload);
        request.Headers.Add("X-Overseer-Timestamp", timestamp);
        request.Headers.Add("X-Overseer-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (eventName is not null)
            request.Headers.Add("X-Overseer-Event", eventName);
        return request;
    }

    private static HttpRequestMessage Json(string triggerId, string payload) => new(HttpMethod.Post, $"/hooks/{triggerId}")
    {
        Content = new StringContent(payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
    };

    /// <summary>A client with no token: providers cannot hold one.</summary>
    public static HttpClient Anonymous(TestServer server) => new() { BaseAddress = server.Address };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    public static async Task<IReadOnlyList<DeliveryDto>> DeliveriesAsync(HttpClient client, string triggerId) =>
        JsonSerializer.Deserialize(await client.GetStringAsync($"/api/triggers/{triggerId}/deliveries"), TriggerJson.Default.ListResponseDeliveryDto)!.Items;

    public static Task<IReadOnlyList<DeliveryDto>> WaitForPostbackAsync(HttpClient client, string triggerId, Func<DeliveryPostbackDto, bool> done, string what) =>
        Poll.UntilAsync(() => DeliveriesAsync(client, triggerId), d => d.Count > 0 && done(d[0].Postback), TimeSpan.FromSeconds(30), what);

    public static async Task<IReadOnlyList<SessionDto>> SessionsAsync(HttpClient client, string projectId) =>
        JsonSerializer.Deserialize(await client.GetStringAsync($"/api/sessions?projectId={projectId}"), Overseer.Contracts.OverseerJson.Default.ListResponseSessionDto)!.Items;
}
