using System.Text.Json;

namespace Overseer.Tests.WebSockets;

/// <summary>A server plus WebSocket clients that are closed when the test ends.</summary>
public abstract class WebSocketTest : ServerTest
{
    private readonly List<WsClient> _clients = [];

    protected async Task<WsClient> ConnectAsync(string? token = "", string? origin = null, string query = "")
    {
        var client = await WsClient.ConnectAsync(Server, token == "" ? Server.Token : token, origin, query);
        _clients.Add(client);
        return client;
    }

    /// <summary>A WebSocket upgrade sent as a plain request, so a refusal's status and problem detail can be read.</summary>
    protected static async Task<HttpResponseMessage> UpgradeAsync(HttpClient client, string? origin = null, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ws");
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (host is not null)
            request.Headers.Host = host;
        request.Headers.Add("Connection", "Upgrade");
        request.Headers.Add("Upgrade", "websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Creates a project over the socket and returns its id.</summary>
    protected async Task<string> CreateProjectAsync(WsClient client)
    {
        var reply = await client.RequestAsync("project_create", new { path = NewProjectDir() });
        WsClient.Str(reply, "type").ShouldBe("project_state", reply.GetRawText());
        return reply.GetProperty("project").GetProperty("id").GetString()!;
    }

    protected static Task<JsonElement> ExecuteAsync(WsClient client, string projectId, string script, string prompt = "go") =>
        client.RequestAsync("execute", new { projectId, prompt, runtime = "scripted", script = JsonDocument.Parse(script).RootElement });

    protected static string Says(int count) =>
        "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => $"{{\"say\": \"{i}\"}}")) + "]";

    protected static List<long> Seqs(IEnumerable<JsonElement> messages) =>
        messages.Where(m => WsClient.Str(m, "type") == "agent_message").Select(m => m.GetProperty("event").GetProperty("seq").GetInt64()).ToList();

    public override async Task DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        await base.DisposeAsync();
    }
}
