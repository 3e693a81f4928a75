using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>Issue 12: list pages bounded in count and size, and a stream's resume position parsed strictly.</summary>
public sealed class ListAndResumeTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Api:MaxBodyBytes"] = "16777216" };

    [Fact]
    public async Task ListSessions_LongPrompts_CarryAPreviewAndTheFullLength()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var prompt = string.Concat(Enumerable.Repeat("0123456789", 50_000)); // 500,000 characters
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"ok\"}]", prompt);
        var shortOne = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"ok\"}]", "short 😀");

        using var response = await Client.GetAsync("/api/sessions?limit=200");
        var body = await response.Content.ReadAsStringAsync();
        body.Length.ShouldBeLessThan(10_000);
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        var listed = items[session.Id];
        listed.GetProperty("prompt").GetString().ShouldBe(prompt[..200]);
        listed.GetProperty("promptTruncated").GetBoolean().ShouldBeTrue();
        listed.GetProperty("promptLength").GetInt32().ShouldBe(prompt.Length);
        items[shortOne.Id].GetProperty("prompt").GetString().ShouldBe("short 😀");
        items[shortOne.Id].GetProperty("promptTruncated").GetBoolean().ShouldBeFalse();

        (await Client.GetSessionAsync(session.Id)).Prompt.ShouldBe(prompt);
        var single = JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{session.Id}")).RootElement;
        (single.TryGetProperty("promptTruncated", out var truncated) && truncated.ValueKind == JsonValueKind.True).ShouldBeFalse();
    }

    [Theory]
    [InlineData("/api/sessions?limit=201")]
    [InlineData("/api/sessions?limit=1000")]
    [InlineData("/api/approvals?limit=5000")]
    [InlineData("/api/questions?limit=201")]
    public async Task List_LimitOverTheCap_Answers400NamingLimit(string path)
    {
        using var response = await Client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ProblemAsync();
        problem.GetProperty("field").GetString().ShouldBe("limit");
        problem.GetProperty("detail").GetString()!.ShouldContain("200");
    }

    [Fact]
    public async Task ListSessions_LimitAtTheCap_IsAccepted()
    {
        using var response = await Client.GetAsync("/api/sessions?limit=200");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+3")]
    [InlineData("1 2")]
    [InlineData("99999999999999999999")]
    public async Task Stream_MalformedLastEventId_Answers400NamingIt(string lastEventId)
    {
        foreach (var path in new[] { "/api/stream?after=0", "/api/sessions/s_any/stream?after=0" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId).ShouldBeTrue();
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, path);
            (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("Last-Event-ID");
        }
    }

    [Fact]
    public async Task SessionStream_LastEventIdAndAfter_LastEventIdWins()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"1\"}, {\"say\": \"2\"}, {\"say\": \"3\"}]");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var stored = await Client.GetEventsAsync(session.Id);
        var resumeAt = stored[3].Seq;

        await using var sse = await SseClient.ConnectAsync(Client, $"/api/sessions/{session.Id}/stream?after=0", lastEventId: resumeAt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await sse.NextAsync()).Seq.ShouldBe(stored[4].Seq);
    }

    [Fact]
    public async Task SessionStream_OnlyAfter_ResumesAfterIt()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"1\"}, {\"say\": \"2\"}]");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var stored = await Client.GetEventsAsync(session.Id);

        await using var sse = await SseClient.ConnectAsync(Client, $"/api/sessions/{session.Id}/stream?after={stored[1].Seq}");
        (await sse.NextAsync()).Seq.ShouldBe(stored[2].Seq);
    }

    [Fact]
    public async Task Stream_MalformedAfter_Answers400NamingAfter()
    {
        using var response = await Client.GetAsync("/api/stream?after=%20");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("after");
    }
}
