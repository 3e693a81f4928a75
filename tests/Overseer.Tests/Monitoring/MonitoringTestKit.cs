using System.Net.Http.Json;
using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests.Monitoring;

/// <summary>What the monitoring tests do over the API: define checks and rules, read checks and alerts.</summary>
internal static class MonitoringTestKit
{
    public static async Task<JsonElement> PostOkAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> CheckAsync(this HttpClient client, string id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/checks/{id}")).RootElement.Clone();

    public static async Task<List<JsonElement>> AlertsAsync(this HttpClient client, string status = "all") =>
        [.. JsonDocument.Parse(await client.GetStringAsync($"/api/alerts?status={status}")).RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];

    public static Task<JsonElement> WaitForCheckAsync(this HttpClient client, string id, string status, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => client.CheckAsync(id), c => c.GetProperty("status").GetString() == status, timeout, $"check {id} {status}");

    public static async Task<JsonElement> WaitForAlertAsync(this HttpClient client, string ruleId, string status, TimeSpan? timeout = null) =>
        (await Poll.UntilAsync(() => client.AlertsAsync(), a => a.Any(x => x.GetProperty("ruleId").GetString() == ruleId && x.GetProperty("status").GetString() == status),
            timeout, $"an alert of {ruleId} {status}")).First(x => x.GetProperty("ruleId").GetString() == ruleId && x.GetProperty("status").GetString() == status);
}
