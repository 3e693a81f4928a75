using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.TestKit;

/// <summary>Typed calls on the REST API, for tests that are about something else.</summary>
public static class OverseerApi
{
    public static async Task<ProjectDto> CreateProjectAsync(this HttpClient client, string path, string? name = null)
    {
        var response = await client.PostAsJsonAsync("/api/projects", new CreateProjectRequest(path, name), OverseerJson.Default.CreateProjectRequest);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.ProjectDto))!;
    }

    public static async Task<SessionDto> CreateSessionAsync(this HttpClient client, string projectId, string? scriptJson = null, string prompt = "test", int? priority = null)
    {
        var script = scriptJson is null ? (JsonElement?)null : JsonDocument.Parse(scriptJson).RootElement;
        var response = await client.PostAsJsonAsync("/api/sessions", new CreateSessionRequest(projectId, prompt, "scripted", null, priority, script), OverseerJson.Default.CreateSessionRequest);
        await EnsureAsync(response);
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
    }

    public static async Task<SessionDto> GetSessionAsync(this HttpClient client, string id) =>
        (await client.GetFromJsonAsync($"/api/sessions/{id}", OverseerJson.Default.SessionDto))!;

    public static Task<SessionDto> WaitForStatusAsync(this HttpClient client, string id, SessionStatus status, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => client.GetSessionAsync(id), s => s.Status == status, timeout, $"session {id} to be {status.ToWire()}");

    public static async Task<IReadOnlyList<EventEnvelope>> GetEventsAsync(this HttpClient client, string id, long after = 0)
    {
        var all = new List<EventEnvelope>();
        while (true)
        {
            var page = (await client.GetFromJsonAsync($"/api/sessions/{id}/events?after={after}&limit=1000", OverseerJson.Default.ListResponseEventEnvelope))!;
            all.AddRange(page.Items);
            if (page.Next is null)
                return all;
            after = long.Parse(page.Next, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static void ShouldBe(this string? actual, string expected)
    {
        if (actual != expected)
            throw new InvalidOperationException($"Expected content type {expected}, got {actual}.");
    }
}
