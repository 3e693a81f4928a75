using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>Seed 003's text blocks in an agent's output, end to end through the API (scripted agent).</summary>
public sealed class TextProtocolSessionTests : ServerTest
{
    private static string Says(params string[] texts) => JsonSerializer.Serialize(texts.Select(t => new { say = t }));

    [Fact]
    public async Task UserQuestionBlock_HoldsTheSession_AndTheAnswerIsTheNextMessage()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, Says("I need to know one thing.", "[USER_QUESTION]\ncategory: design\nquestion: Which database?\noptions: [PostgreSQL, SQLite]\n[/USER_QUESTION]"));
        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Questions.ShouldBe(1);
        var question = JsonDocument.Parse(await Client.GetStringAsync($"/api/questions?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items")[0];
        question.GetProperty("questions")[0].GetProperty("question").GetString().ShouldBe("Which database?");
        question.GetProperty("questions")[0].GetProperty("options")[1].GetProperty("label").GetString().ShouldBe("SQLite");

        (await Client.PostJsonAsync($"/api/questions/{question.GetProperty("id").GetString()}/answer", "{\"answers\": {\"Which database?\": \"SQLite\"}}")).EnsureSuccessStatusCode();
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var messages = (await Client.GetEventsAsync(session.Id)).Where(e => e.Type == EventTypes.UserMessage).Select(e => e.Data.GetProperty("text").GetString()).ToList();
        messages[^1].ShouldBe("Answer to your question \"Which database?\": SQLite");
    }

    [Fact]
    public async Task ErrorBlock_IsRecorded_AndTheSessionGoesOn()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, Says("[ERROR]\ntype: build\nmessage: the build is flaky\n[/ERROR]", "carrying on"));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var reported = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentReportedError).Data;
        reported.GetProperty("type").GetString().ShouldBe("build");
        reported.GetProperty("message").GetString().ShouldBe("the build is flaky");
    }

    [Fact]
    public async Task PhaseMarker_InAGitProject_OpensAReviewWithTheDiff_AndHoldsUntilDecided()
    {
        var dir = NewProjectDir();
        await GitRepo.InitAsync(dir);
        var project = await Client.CreateProjectAsync(dir);
        var script = JsonSerializer.Serialize(new object[] { new { say = "working" }, new { sleep = 1500 }, new { say = "=== PHASE 1 COMPLETE ===" } });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Running);
        await Task.Delay(300);
        // The agent's work during the phase: a new file and an edit.
        await File.WriteAllTextAsync(Path.Combine(dir, "parser.cs"), "class Parser {}\n");
        await File.AppendAllTextAsync(Path.Combine(dir, "README.md"), "Parses things.\n");

        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Reviews.ShouldBe(1);
        var reviewId = JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        var review = JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews/{reviewId}")).RootElement;
        review.GetProperty("kind").GetString().ShouldBe("phase");
        review.GetProperty("phase").GetInt32().ShouldBe(1);
        review.GetProperty("files").EnumerateArray().Select(f => $"{f.GetProperty("path").GetString()}:{f.GetProperty("status").GetString()}")
            .ShouldBe(["README.md:modified", "parser.cs:added"], ignoreOrder: true);
        var diff = review.GetProperty("diff").GetString()!;
        diff.ShouldContain("+class Parser {}");
        diff.ShouldContain("+Parses things.");
        (await GitRepo.RunAsync(dir, "status", "--porcelain")).ShouldContain("?? parser.cs", customMessage: "the project's own index is untouched");

        (await Client.PostJsonAsync($"/api/reviews/{reviewId}/request-changes", "{\"feedback\": \"name it TextParser\"}")).EnsureSuccessStatusCode();
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var last = (await Client.GetEventsAsync(session.Id)).Last(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString();
        last.ShouldBe("Changes requested for the phase: name it TextParser");
    }
}
