using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Tests.Dashboard;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>
/// Issue 12: a long agent text is stored once as a blob of its session; events, pages and streams
/// carry its preview, and GET /api/sessions/{id}/blobs/{blobId} returns all of it.
/// </summary>
public sealed class BlobsApiTests : ServerTest
{
    private const int Preview = 16 * 1024;

    // Long enough for a blob, varied enough that a wrong byte shows: non-ASCII, a surrogate pair, line breaks.
    private static readonly string Long = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} «é» 😀\n"));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Api:MaxBodyBytes"] = "16777216" };

    [Fact]
    public async Task LongText_EventIsAPreview_TheBlobIsTheWholeText_AndTheStreamCarriesOnlyThePreview()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        await using var stream = await SseClient.ConnectAsync(Client, "/api/stream");
        var session = await Client.CreateSessionAsync(project.Id, Script(new { say = Long }, new { say = Long }));
        var streamed = await stream.ReadUntilAsync(m => m.Type == EventTypes.SessionIdle && m.Data.GetProperty("sessionId").GetString() == session.Id, TimeSpan.FromSeconds(30));

        var texts = (await Client.GetEventsAsync(session.Id)).Where(e => e.Type == EventTypes.AgentText)
            .Select(e => e.Data.Deserialize(OverseerJson.Default.AgentTextData)!).ToList();
        texts.Count.ShouldBe(2);
        foreach (var text in texts)
        {
            text.Text.ShouldBe(Long[..Preview]);
            text.Truncated.ShouldBe(true);
            text.FullLength.ShouldBe(Long.Length);
            text.BlobId.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Long))));
        }

        using var blob = await Client.GetAsync($"/api/sessions/{session.Id}/blobs/{texts[0].BlobId}");
        blob.StatusCode.ShouldBe(HttpStatusCode.OK);
        blob.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; charset=utf-8");
        (await blob.Content.ReadAsByteArrayAsync()).ShouldBe(Encoding.UTF8.GetBytes(Long));

        var live = streamed.Where(m => m.Type == EventTypes.AgentText && m.Data.GetProperty("sessionId").GetString() == session.Id).ToList();
        live.Count.ShouldBe(2);
        var head = Long[..Preview];
        live.ShouldAllBe(m => m.Data.GetProperty("data").GetProperty("text").GetString() == head);
        // The whole text, JSON-escaped, would be over a million characters; the preview is a few tens of thousands.
        live.Max(m => m.Data.GetRawText().Length).ShouldBeLessThan(100_000);
        (await BlobCountAsync(session.Id)).ShouldBe(1); // the same text twice is stored once
    }

    [Fact]
    public async Task LongToolInputAndOutput_AreAPreviewWithTheWholeTextInABlob()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, Script(new { tool = new { name = "Write", input = new { file_path = "big.txt", content = Long }, output = Long + "!" } }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var events = await Client.GetEventsAsync(session.Id);
        var call = events.Single(e => e.Type == EventTypes.ToolCall).Data.Deserialize(OverseerJson.Default.ToolCallData)!;
        call.Truncated.ShouldBe(true);
        call.Input.ValueKind.ShouldBe(JsonValueKind.String);
        var input = JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{session.Id}/blobs/{call.BlobId}")).RootElement;
        input.GetProperty("content").GetString().ShouldBe(Long);
        call.Input.GetString().ShouldBe(input.GetRawText()[..Preview]);

        var result = events.Single(e => e.Type == EventTypes.ToolResult).Data.Deserialize(OverseerJson.Default.ToolResultData)!;
        result.Output.ShouldBe(Long[..Preview]);
        (result.Truncated, result.FullLength).ShouldBe((true, Long.Length + 1));
        (await Client.GetStringAsync($"/api/sessions/{session.Id}/blobs/{result.BlobId}")).ShouldBe(Long + "!");
    }

    [Fact]
    public async Task Blob_OfAnotherSessionOrUnknown_Is404_AndWithoutAToken401()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var owner = await Client.CreateSessionAsync(project.Id, Script(new { say = Long }));
        var other = await Client.CreateSessionAsync(project.Id, Script(new { say = "short" }));
        await Client.WaitForStatusAsync(owner.Id, SessionStatus.Idle);
        var blobId = (await Client.GetEventsAsync(owner.Id)).Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("blobId").GetString();

        using var ofOther = await Client.GetAsync($"/api/sessions/{other.Id}/blobs/{blobId}");
        ofOther.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await ofOther.ProblemAsync()).GetProperty("code").GetString().ShouldBe("BLOB_NOT_FOUND");
        using var malformed = await Client.GetAsync($"/api/sessions/{owner.Id}/blobs/{new string('Z', 5000)}");
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await malformed.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("INVALID_FIELD");
        problem.GetProperty("detail").GetString()!.ShouldNotContain("ZZZZ", customMessage: "a malformed id is named, not echoed");
        using var noSession = await Client.GetAsync($"/api/sessions/s_nope/blobs/{blobId}");
        (await noSession.ProblemAsync()).GetProperty("code").GetString().ShouldBe("SESSION_NOT_FOUND");
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        using var unauthenticated = await anonymous.GetAsync($"/api/sessions/{owner.Id}/blobs/{blobId}");
        unauthenticated.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await unauthenticated.Content.ReadAsStringAsync()).ShouldNotContain("line 1 ");
    }

    [Fact]
    public async Task Blob_ASecretInTheLongText_IsRedactedInTheBlobToo_AndNamedByTheRedactedContent()
    {
        const string value = "sk-live-0123456789abcdef";
        using var put = await Client.PutAsync("/api/secrets/API_TOKEN", new StringContent(JsonSerializer.Serialize(new { value }), Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, Script(new { say = Long + "the token is " + value }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var text = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentText).Data.Deserialize(OverseerJson.Default.AgentTextData)!;
        var blob = await Client.GetByteArrayAsync($"/api/sessions/{session.Id}/blobs/{text.BlobId}");
        var whole = Encoding.UTF8.GetString(blob);
        whole.ShouldNotContain(value);
        whole.ShouldEndWith("the token is «secret:API_TOKEN»");
        text.BlobId.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(blob)));
        (await BlobCountAsync(session.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Preview_ASecretStraddlingTheCut_LeavesNoPartOfItInThePreview()
    {
        const string value = "sk-cut-0123456789abcdefXYZ";
        using var put = await Client.PutAsync("/api/secrets/CUT_TOKEN", new StringContent(JsonSerializer.Serialize(new { value }), Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        var project = await Client.CreateProjectAsync(NewProjectDir());
        // The default preview is 16,384 chars: the secret starts 10 chars before the cut.
        var said = new string('x', 16_384 - 10) + value + Long;
        var session = await Client.CreateSessionAsync(project.Id, Script(new { say = said }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var text = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentText).Data.Deserialize(OverseerJson.Default.AgentTextData)!;
        text.Truncated.ShouldBe(true);
        text.Text.ShouldNotContain(value[..10], customMessage: "the head of a secret cut in two must not be stored");
        var whole = Encoding.UTF8.GetString(await Client.GetByteArrayAsync($"/api/sessions/{session.Id}/blobs/{text.BlobId}"));
        whole.ShouldContain("«secret:CUT_TOKEN»");
        whole.ShouldNotContain(value);
    }

    [Fact]
    public async Task Dashboard_LongText_ShowsThePreviewWithALinkToAllOfItAsPlainText()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var said = "<b>bold?</b>\n" + Long;
        var session = await Client.CreateSessionAsync(project.Id, Script(new { say = said }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var blobId = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("blobId").GetString();
        var (browser, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        using var _b = browser;

        var page = await browser.GetStringAsync($"/sessions/{session.Id}");
        var link = $"/sessions/{session.Id}/blobs/{blobId}";
        page.Contains($"href=\"{link}\"", StringComparison.Ordinal).ShouldBeTrue();
        page.Contains($"show all {said.Length:#,0} characters", StringComparison.Ordinal).ShouldBeTrue();

        using var full = await browser.GetAsync(link);
        full.StatusCode.ShouldBe(HttpStatusCode.OK);
        full.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        full.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        (await full.Content.ReadAsStringAsync()).ShouldBe(said);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Address };
        using var signedOut = await anonymous.GetAsync(link);
        signedOut.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    private static string Script(params object[] steps) => JsonSerializer.Serialize(steps);

    private async Task<long> BlobCountAsync(string sessionId)
    {
        await using var connection = await Server.Service<Storage.Sqlite.SqliteDatabase>().OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM blobs WHERE session_id = $sid";
        command.Parameters.AddWithValue("$sid", sessionId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
