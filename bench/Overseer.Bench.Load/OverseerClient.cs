using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>The few REST calls the benchmark makes, as plain JSON over one <see cref="HttpClient"/>.</summary>
public sealed class OverseerClient : IDisposable
{
    private readonly HttpClient _http;

    public OverseerClient(Uri baseUri, string token)
    {
        _http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary><c>POST /api/projects</c>; returns the new project's id.</summary>
    public Task<string> CreateProjectAsync(string path, CancellationToken ct) =>
        PostForIdAsync("api/projects", Body(w => w.WriteString("path", path)), ct);

    /// <summary><c>POST /api/sessions</c> with a body from <see cref="SessionBody"/>; returns the session id.</summary>
    public Task<string> CreateSessionAsync(byte[] body, CancellationToken ct) => PostForIdAsync("api/sessions", body, ct);

    /// <summary><c>GET</c> of a path under the API as text, or the error, for diagnostics.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken ct)
    {
        try
        {
            return await _http.GetStringAsync(path, ct);
        }
        catch (HttpRequestException ex)
        {
            return "(" + ex.Message + ")";
        }
    }

    /// <summary>Best effort <c>DELETE /api/projects/{id}</c>, to tidy up a server the benchmark did not start.</summary>
    public async Task TryDeleteProjectAsync(string id, CancellationToken ct)
    {
        try
        {
            using var response = await _http.DeleteAsync($"api/projects/{Uri.EscapeDataString(id)}", ct);
        }
        catch (HttpRequestException)
        {
        }
    }

    /// <summary>
    /// A scripted session that says "1", "2", ... "<paramref name="count"/>" with a
    /// <paramref name="sleepMs"/> pause after each: <paramref name="count"/> agent.text events.
    /// Every session gets the same script, so the body is built once.
    /// </summary>
    public static byte[] SessionBody(string projectId, int count, int sleepMs) => Body(w =>
    {
        w.WriteString("projectId", projectId);
        w.WriteString("prompt", "bench");
        w.WriteString("runtime", "scripted");
        w.WriteStartArray("script");
        for (var i = 1; i <= count; i++)
        {
            w.WriteStartObject();
            w.WriteString("say", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteNumber("sleep", sleepMs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>A scripted session that says "1" … "<paramref name="count"/>" as fast as it can.</summary>
    public static byte[] SayBody(string projectId, int count) => Body(w =>
    {
        w.WriteString("projectId", projectId);
        w.WriteString("prompt", "a very long session");
        w.WriteString("runtime", "scripted");
        w.WriteStartArray("script");
        for (var i = 1; i <= count; i++)
        {
            w.WriteStartObject();
            w.WriteString("say", $"Message {i}: some **markdown** with `code` and a [link](https://example.com/{i}).");
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary><c>GET</c> a path and return the body as text.</summary>
    public Task<string> GetStringAsync(string path, CancellationToken ct) => _http.GetStringAsync(path, ct);

    public void Dispose() => _http.Dispose();

    private static byte[] Body(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task<string> PostForIdAsync(string path, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {Shorten(text)}");
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.GetProperty("id").GetString()
                ?? throw new InvalidOperationException($"POST /{path}: \"id\" is null");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"POST /{path}: no string \"id\" in the {(int)response.StatusCode} response: {Shorten(text)}", ex);
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
