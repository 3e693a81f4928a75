using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>The real CLI hibernated: its process stops, and a message wakes it with --resume into a turn that still goes through the gate.</summary>
public sealed class HibernationTests
{
    [Fact]
    public async Task Hibernate_IdleClaudeSession_StopsTheCli_AndAMessageResumesItIntoATurnWhoseApprovalWorks()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Text("Remembered PINEAPPLE."));
        var id = await o.StartSessionAsync("Remember the word PINEAPPLE");
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        var pid = await o.AgentPidAsync(id);

        using (var hibernate = await o.Client.PostJsonAsync($"/api/sessions/{id}/hibernate", "{}"))
            hibernate.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var hibernated = await o.Client.GetSessionAsync(id);
        hibernated.Status.ShouldBe(SessionStatus.Idle);
        hibernated.Hibernated.ShouldBeTrue();
        await Poll.UntilAsync(() => Task.FromResult(OverseerHarness.IsAlive(pid)), alive => !alive, TimeSpan.FromSeconds(10), "the CLI to exit");

        o.Api.Enqueue(MockReply.Bash("curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt"));
        o.Api.Enqueue(MockReply.Text("Fetched, and the word was PINEAPPLE."));
        (await o.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"Fetch it, then tell me the word\"}")).EnsureSuccessStatusCode();
        var approval = (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await o.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={id}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending approval"))[0];
        (await o.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();

        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        File.Exists(Path.Combine(o.ProjectDir, "after-curl.txt")).ShouldBeTrue();
        var events = await o.Client.GetEventsAsync(id);
        var woken = events.SkipWhile(e => e.Type != EventTypes.AgentHibernated).ToList();
        woken.Single(e => e.Type == EventTypes.AgentStarted).Data.GetProperty("resumed").GetBoolean().ShouldBeTrue();
        (await o.AgentPidAsync(id)).ShouldNotBe(pid);
        var history = o.Api.ConversationRequests[^1].BodyText;
        history.ShouldContain("Remember the word PINEAPPLE", customMessage: "the resumed CLI carries the conversation from before it hibernated");
        history.ShouldContain("Fetch it, then tell me the word");
        (await o.Client.GetSessionAsync(id)).Hibernated.ShouldBeFalse();
    }

    /// <summary>
    /// An approval left open past HibernateAfter: deny-and-hibernate stops the real CLI before the
    /// call runs, and the next message resumes it with --resume, telling it what was denied.
    /// </summary>
    [Fact]
    public async Task DenyAndHibernate_ApprovalLeftOpen_StopsTheCliWithoutRunningTheCall_AndTheNextMessageTellsTheResumedAgent()
    {
        await using var o = await OverseerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Sessions:HibernateAfter"] = "00:00:01" });
        o.Api.Enqueue(MockReply.Bash("curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt"));
        var id = await o.StartSessionAsync("Fetch the page");
        var approvalId = (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await o.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={id}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending approval"))[0].GetProperty("id").GetString();
        var pid = await o.AgentPidAsync(id);

        // Offered once the approval has waited a second by the server's clock: refused (409) until then.
        var denied = await Poll.UntilAsync(async () =>
        {
            using var response = await o.Client.PostJsonAsync($"/api/approvals/{approvalId}/deny", """{"reason": "not while I am away", "hibernate": true}""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode != HttpStatusCode.Conflict, TimeSpan.FromSeconds(30), "deny and hibernate to be offered");
        denied.StatusCode.ShouldBe(HttpStatusCode.OK, denied.Body);
        var approval = JsonDocument.Parse(denied.Body).RootElement;
        approval.GetProperty("status").GetString().ShouldBe("denied");
        approval.GetProperty("how").GetString().ShouldBe("hibernate");

        var session = await o.Client.GetSessionAsync(id);
        session.Status.ShouldBe(SessionStatus.Idle);
        session.Hibernated.ShouldBeTrue();
        await Poll.UntilAsync(() => Task.FromResult(OverseerHarness.IsAlive(pid)), alive => !alive, TimeSpan.FromSeconds(10), "the CLI to exit");
        File.Exists(Path.Combine(o.ProjectDir, "after-curl.txt")).ShouldBeFalse("the denied call never ran");

        o.Api.Enqueue(MockReply.Text("Understood, I will not fetch it."));
        (await o.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"What happened?\"}")).EnsureSuccessStatusCode();
        await o.WaitForEventAsync(id, e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "Understood, I will not fetch it.");
        var events = await o.Client.GetEventsAsync(id);
        events.SkipWhile(e => e.Type != EventTypes.AgentHibernated).First(e => e.Type == EventTypes.AgentStarted).Data.GetProperty("resumed").GetBoolean().ShouldBeTrue();
        var history = o.Api.ConversationRequests[^1].BodyText;
        history.ShouldContain("Fetch the page", customMessage: "the resumed CLI carries the conversation from before it hibernated");
        history.ShouldContain("Your request to use Bash was denied and did not run: Denied by");
        history.ShouldContain("not while I am away");
        history.ShouldContain("What happened?");
    }
}
