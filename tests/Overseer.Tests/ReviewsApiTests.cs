using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class ReviewsApiTests : ServerTest
{
    private async Task<(string SessionId, JsonElement Review)> PendingPlanAsync(string plan)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, $"[{{\"plan\": \"{plan}\"}}, {{\"say\": \"done\"}}]");
        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Reviews.ShouldBe(1);
        var pending = JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (session.Id, pending.EnumerateArray().Single());
    }

    [Fact]
    public async Task Plan_Approved_TheAgentCarriesOn()
    {
        var (sessionId, review) = await PendingPlanAsync("1. read 2. fix");
        review.GetProperty("kind").GetString().ShouldBe("plan");
        review.GetProperty("plan").GetString().ShouldBe("1. read 2. fix");
        var id = review.GetProperty("id").GetString();
        (await Client.GetStringAsync($"/api/reviews/{id}")).ShouldContain("\"status\":\"pending\"");

        using var approved = await Client.PostJsonAsync($"/api/reviews/{id}/approve", "{}");
        approved.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var texts = (await Client.GetEventsAsync(sessionId)).Where(e => e.Type == "agent.text").Select(e => e.Data.GetProperty("text").GetString());
        texts.ShouldContain("The plan was approved; carrying on.");
        var decided = JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews/{id}")).RootElement;
        decided.GetProperty("status").GetString().ShouldBe("approved");
        decided.GetProperty("decidedBy").GetString().ShouldBe("admin");
        using var again = await Client.PostJsonAsync($"/api/reviews/{id}/approve", "{}");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Plan_ChangesRequested_TheAgentReceivesTheFeedback()
    {
        var (sessionId, review) = await PendingPlanAsync("delete everything");
        var id = review.GetProperty("id").GetString();
        using (var empty = await Client.PostJsonAsync($"/api/reviews/{id}/request-changes", "{\"feedback\": \" \"}"))
        {
            empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await empty.ProblemAsync()).GetProperty("field").GetString().ShouldBe("feedback");
        }
        (await Client.PostJsonAsync($"/api/reviews/{id}/request-changes", "{\"feedback\": \"keep the tests\"}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await Client.GetEventsAsync(sessionId)).ShouldContain(e => e.Type == "agent.text" && e.Data.GetProperty("text").GetString() == "Changing the plan: keep the tests");
        JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews/{id}")).RootElement.GetProperty("feedback").GetString().ShouldBe("keep the tests");
    }

    [Fact]
    public async Task UnknownReview_Answers404()
    {
        using var response = await Client.PostJsonAsync("/api/reviews/r_nope/approve", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("REVIEW_NOT_FOUND");
    }

    [Fact]
    public async Task Stats_TotalsUsageAcrossSessions()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var a = await Client.CreateSessionAsync(project.Id, "[{\"usage\": {\"inputTokens\": 100, \"outputTokens\": 10, \"costUsd\": 0.5}}]");
        var b = await Client.CreateSessionAsync(project.Id, "[{\"usage\": {\"inputTokens\": 50, \"outputTokens\": 5, \"costUsd\": 0.25}}]");
        await Client.WaitForStatusAsync(a.Id, SessionStatus.Idle);
        await Client.WaitForStatusAsync(b.Id, SessionStatus.Idle);
        var stats = JsonDocument.Parse(await Client.GetStringAsync("/api/stats")).RootElement;
        stats.GetProperty("sessionsByStatus").GetProperty("idle").GetInt32().ShouldBe(2);
        stats.GetProperty("usage").GetProperty("inputTokens").GetInt64().ShouldBe(150);
        stats.GetProperty("usage").GetProperty("outputTokens").GetInt64().ShouldBe(15);
        stats.GetProperty("usage").GetProperty("costUsd").GetDecimal().ShouldBe(0.75m);
    }
}
