using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Notifications;

/// <summary>What the notification tests do over the API: make channels, start sessions that ask for a person.</summary>
internal static class NotificationTestKit
{
    /// <summary>Creates a channel for the client's user; returns its id and (for a webhook) its secret.</summary>
    public static async Task<(string Id, string? Secret)> CreateChannelAsync(this HttpClient client, string type, object target, object? preferences = null)
    {
        using var response = await client.PostAsJsonAsync("/api/notifications/channels", new Dictionary<string, object?> { ["type"] = type, ["target"] = target, ["preferences"] = preferences });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Creating a {type} channel answered {(int)response.StatusCode}: {body}");
        var channel = JsonDocument.Parse(body).RootElement;
        return (channel.GetProperty("id").GetString()!, channel.TryGetProperty("secret", out var secret) ? secret.GetString() : null);
    }

    public static string Script(params object[] steps) => JsonSerializer.Serialize(steps);

    public static object Bash(string command) => new { tool = new { name = "Bash", input = new { command }, output = "ran" } };

    /// <summary>A session in a new project whose agent runs <paramref name="command"/> (held at the gate), then says "after".</summary>
    public static async Task<(string SessionId, string ApprovalId)> PendingApprovalAsync(this HttpClient client, string projectDir, string command)
    {
        var project = await client.CreateProjectAsync(projectDir);
        var session = await client.CreateSessionAsync(project.Id, Script(Bash(command), new { say = "after" }));
        await client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var items = JsonDocument.Parse(await client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (session.Id, items[0].GetProperty("id").GetString()!);
    }

    public static async Task<JsonElement> ApprovalAsync(this HttpClient client, string id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/approvals/{id}")).RootElement;

    public static async Task<JsonElement> NotificationsAsync(this HttpClient client, string query = "") =>
        JsonDocument.Parse(await client.GetStringAsync("/api/notifications" + query)).RootElement.GetProperty("items");

    /// <summary>Sends an action link as a phone's one-tap action does: a POST with no body.</summary>
    public static async Task<HttpResponseMessage> TapAsync(string url, string? confirm = null)
    {
        using var anonymous = new HttpClient();
        return await anonymous.PostAsync(url, confirm is null ? null : new FormUrlEncodedContent(new Dictionary<string, string> { ["confirm"] = confirm }));
    }
}
