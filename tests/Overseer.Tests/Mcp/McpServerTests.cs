using System.Net;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.Tests.Dashboard;

namespace Overseer.Tests.Mcp;

/// <summary>
/// Overseer as an MCP server, driven by the official C# MCP client: every tool does what its REST
/// route does under the same rights, resources and prompts, a wrong token, a viewer refused, bad input.
/// </summary>
public sealed class McpServerTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    private static readonly string[] ToolNames =
        ["answer_question", "approve", "cancel_session", "deny", "get_session", "list_projects", "list_sessions", "list_templates",
         "provide_dependency", "read_events", "review", "send_message", "start_session"];

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments));
        result.IsError.ShouldNotBe(true, $"{tool}: {Text(result)}");
        return JsonDocument.Parse(Text(result)).RootElement.Clone();
    }

    private static async Task<string> ErrorAsync(McpClient client, string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Arguments(arguments));
        result.IsError.ShouldBe(true, $"{tool} should have failed: {Text(result)}");
        // The SDK says which tool failed, then Overseer's code and words.
        var prefix = $"An error occurred invoking '{tool}': ";
        Text(result).ShouldStartWith(prefix);
        return Text(result)[prefix.Length..];
    }

    private static Dictionary<string, object?> Arguments(object? arguments) => arguments is null ? [] :
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(arguments))!.ToDictionary(p => p.Key, p => (object?)p.Value);

    /// <summary>Waits until the session waits on a person for the item of this kind, and returns it.</summary>
    private static async Task<JsonElement> PendingAsync(McpClient client, string kind, string sessionId) =>
        (await Poll.UntilAsync(() => CallAsync(client, "get_session", new { sessionId }),
            s => s.GetProperty(kind).GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending " + kind)).GetProperty(kind)[0];

    [Fact]
    public async Task ListTools_EveryToolDescribed_CallerNotAnArgument()
    {
        await using var client = await fixture.ConnectAsync(fixture.OperatorToken);
        var tools = await client.ListToolsAsync();
        tools.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(ToolNames);
        foreach (var tool in tools)
        {
            tool.Description.Length.ShouldBeGreaterThan(40, tool.Name);
            tool.JsonSchema.GetRawText().ShouldNotContain("\"user\"", Case.Sensitive, tool.Name);
        }
        client.ServerInfo!.Name.ShouldBe("overseer");
    }

    [Fact]
    public async Task DemoSession_StartedListedApprovedAnsweredMessagedCancelled_AsTheRestApiWould()
    {
        await using var client = await fixture.ConnectAsync(fixture.OperatorToken);
        (await CallAsync(client, "list_projects")).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("api");
        (await CallAsync(client, "list_templates")).GetProperty("items").GetArrayLength().ShouldBeGreaterThan(0);

        var started = await CallAsync(client, "start_session", new { projectId = fixture.Project.Id, prompt = "show the demo", runtime = "scripted", title = "Demo via MCP" });
        var sessionId = started.GetProperty("id").GetString()!;
        started.GetProperty("startedBy").GetProperty("name").GetString().ShouldBe("olga");
        (await CallAsync(client, "list_sessions", new { projectId = fixture.Project.Id })).GetProperty("items").EnumerateArray()
            .Select(s => s.GetProperty("id").GetString()).ShouldContain(sessionId);

        // The demo stops at the gate for an ORANGE curl: approve it through the tool.
        var approval = await PendingAsync(client, "pendingApprovals", sessionId);
        approval.GetProperty("tier").GetString().ShouldBe("ORANGE");
        var approved = await CallAsync(client, "approve", new { approvalId = approval.GetProperty("id").GetString() });
        approved.GetProperty("status").GetString().ShouldBe("approved");
        approved.GetProperty("decidedBy").GetString().ShouldBe("olga");

        // Then it asks a question: answer it with the first option.
        var question = await PendingAsync(client, "pendingQuestions", sessionId);
        var item = question.GetProperty("questions")[0];
        var answered = await CallAsync(client, "answer_question", new
        {
            questionId = question.GetProperty("id").GetString(),
            answers = new Dictionary<string, string> { [item.GetProperty("question").GetString()!] = item.GetProperty("options")[0].GetProperty("label").GetString()! },
        });
        answered.GetProperty("status").GetString().ShouldBe("answered");

        var events = await CallAsync(client, "read_events", new { sessionId, limit = 500 });
        var types = events.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        types.ShouldContain(EventTypes.ApprovalDecided);
        types.ShouldContain(EventTypes.QuestionAnswered);
        var last = events.GetProperty("items").EnumerateArray().Last().GetProperty("seq").GetInt64();
        (await CallAsync(client, "read_events", new { sessionId, after = last })).GetProperty("items").EnumerateArray()
            .ShouldAllBe(e => e.GetProperty("seq").GetInt64() > last);

        await fixture.Server.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await CallAsync(client, "send_message", new { sessionId, text = "one more thing" })).GetProperty("id").GetString().ShouldBe(sessionId);
        var messages = await Poll.UntilAsync(() => fixture.Server.Client.GetEventsAsync(sessionId),
            e => e.Any(x => x.Type == EventTypes.UserMessage && x.Data.GetProperty("text").GetString() == "one more thing"), TimeSpan.FromSeconds(30), "the message");
        messages.Last(x => x.Type == EventTypes.UserMessage).Data.GetProperty("by").GetString().ShouldBe("olga");

        (await CallAsync(client, "cancel_session", new { sessionId })).GetProperty("id").GetString().ShouldBe(sessionId);
        (await fixture.Server.Client.WaitForStatusAsync(sessionId, SessionStatus.Cancelled)).Status.ShouldBe(SessionStatus.Cancelled);
    }

    [Fact]
    public async Task Deny_ProvideDependency_Review_DecideTheirItems()
    {
        await using var client = await fixture.ConnectAsync(fixture.OperatorToken);
        var demo = (await CallAsync(client, "start_session", new { projectId = fixture.Project.Id, prompt = "demo", runtime = "scripted" })).GetProperty("id").GetString()!;
        var approval = await PendingAsync(client, "pendingApprovals", demo);
        var denied = await CallAsync(client, "deny", new { approvalId = approval.GetProperty("id").GetString(), reason = "not from here" });
        denied.GetProperty("status").GetString().ShouldBe("denied");

        var needsKey = await fixture.Server.Client.CreateSessionAsync(fixture.Project.Id,
            JsonSerializer.Serialize(new[] { new { say = "[DEPENDENCY_REQUEST]\ntype: api_key\nname: MAPS_KEY\ndescription: needed\nrequired: true\n[/DEPENDENCY_REQUEST]" } }));
        var dependency = await PendingAsync(client, "pendingDependencies", needsKey.Id);
        var provided = await CallAsync(client, "provide_dependency", new { dependencyId = dependency.GetProperty("id").GetString(), value = "mcp-secret-value-42" });
        provided.GetProperty("status").GetString().ShouldBe("provided");
        provided.GetRawText().ShouldNotContain("mcp-secret-value-42");
        (await fixture.Server.Client.GetStringAsync($"/api/sessions/{needsKey.Id}/events?limit=10000")).ShouldNotContain("mcp-secret-value-42");

        var planned = await fixture.Server.Client.CreateSessionAsync(fixture.Project.Id, "[{\"plan\": \"1. read 2. fix\"}, {\"say\": \"done\"}]");
        var review = await PendingAsync(client, "pendingReviews", planned.Id);
        (await ErrorAsync(client, "review", new { reviewId = review.GetProperty("id").GetString(), decision = "request_changes" })).ShouldContain("feedback");
        var decided = await CallAsync(client, "review", new { reviewId = review.GetProperty("id").GetString(), decision = "approve" });
        decided.GetProperty("status").GetString().ShouldBe("approved");
        await fixture.Server.Client.WaitForStatusAsync(planned.Id, SessionStatus.Idle);
    }

    [Fact]
    public async Task ViewerToken_ListsAndReads_ButApproveAndStartAreRefusedNamingTheRole()
    {
        await using var operatorClient = await fixture.ConnectAsync(fixture.OperatorToken);
        var sessionId = (await CallAsync(operatorClient, "start_session", new { projectId = fixture.Project.Id, prompt = "demo", runtime = "scripted" })).GetProperty("id").GetString()!;
        var approval = await PendingAsync(operatorClient, "pendingApprovals", sessionId);

        await using var viewer = await fixture.ConnectAsync(fixture.ViewerToken);
        (await CallAsync(viewer, "list_sessions")).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ShouldContain(sessionId);
        (await CallAsync(viewer, "get_session", new { sessionId })).GetProperty("session").GetProperty("id").GetString().ShouldBe(sessionId);

        var refused = await ErrorAsync(viewer, "approve", new { approvalId = approval.GetProperty("id").GetString() });
        refused.ShouldStartWith("FORBIDDEN:");
        refused.ShouldContain("the operator role");
        refused.ShouldContain("you have the viewer role");
        (await ErrorAsync(viewer, "start_session", new { projectId = fixture.Project.Id, prompt = "x" })).ShouldContain("the operator role");
        // Still pending: the refusal changed nothing.
        (await PendingAsync(operatorClient, "pendingApprovals", sessionId)).GetProperty("status").GetString().ShouldBe("pending");
        await CallAsync(operatorClient, "cancel_session", new { sessionId });
    }

    [Fact]
    public async Task WrongToken_Answers401_AndTheClientCannotConnect()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "not-a-token");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("UNAUTHORIZED");

        var failure = await Should.ThrowAsync<Exception>(() => fixture.ConnectAsync("not-a-token"));
        failure.ToString().ShouldContain("401");
    }

    [Fact]
    public async Task BadInputs_AreToolErrorsNamingTheFieldAndChangeNothing()
    {
        await using var client = await fixture.ConnectAsync(fixture.OperatorToken);
        (await ErrorAsync(client, "list_sessions", new { limit = 0 })).ShouldBe("INVALID_FIELD: limit must be between 1 and 100; got 0.");
        (await ErrorAsync(client, "list_sessions", new { status = "sleeping" })).ShouldStartWith("INVALID_FIELD: status 'sleeping' is not a status");
        (await ErrorAsync(client, "get_session", new { sessionId = "" })).ShouldBe("INVALID_FIELD: sessionId is required.");
        (await ErrorAsync(client, "get_session", new { sessionId = "s_nope" })).ShouldBe("SESSION_NOT_FOUND: No session has id 's_nope'.");
        (await ErrorAsync(client, "start_session", new { projectId = fixture.Project.Id })).ShouldContain("prompt or templateId is required");
        (await ErrorAsync(client, "start_session", new { projectId = fixture.Project.Id, prompt = "a", templateId = "b" })).ShouldContain("templateId cannot be given with a prompt");
        (await ErrorAsync(client, "start_session", new { projectId = "p_nope", prompt = "a" })).ShouldStartWith("PROJECT_NOT_FOUND:");
        (await ErrorAsync(client, "start_session", new { projectId = fixture.Project.Id, prompt = "a", runtime = "no-such-runtime" })).ShouldStartWith("UNKNOWN_RUNTIME:");
        (await ErrorAsync(client, "start_session", new { projectId = fixture.Project.Id, templateId = "t_nope" })).ShouldStartWith("TEMPLATE_NOT_FOUND:");
        (await ErrorAsync(client, "read_events", new { sessionId = "s_nope", after = -1 })).ShouldStartWith("INVALID_FIELD: after");
        (await ErrorAsync(client, "approve", new { approvalId = "a_nope", remember = "forever" })).ShouldStartWith("INVALID_FIELD: remember");
        (await ErrorAsync(client, "review", new { reviewId = "r_nope", decision = "maybe" })).ShouldStartWith("INVALID_FIELD: decision");
        (await ErrorAsync(client, "provide_dependency", new { dependencyId = "d_nope" })).ShouldStartWith("INVALID_FIELD: value or secret is required");
        (await ErrorAsync(client, "send_message", new { sessionId = "s_nope", text = " " })).ShouldStartWith("INVALID_FIELD: text");
        (await ErrorAsync(client, "answer_question", new { questionId = "q_nope", answers = new { } })).ShouldStartWith("INVALID_FIELD: answers");
        (await ErrorAsync(client, "deny", new { approvalId = "a_nope" })).ShouldStartWith("APPROVAL_NOT_FOUND:");
        (await CallAsync(client, "list_sessions", new { status = "running" })).GetProperty("items").EnumerateArray()
            .ShouldAllBe(s => s.GetProperty("status").GetString() == "running");
    }

    [Fact]
    public async Task Resources_TranscriptAndEvents_UpdatedWhileTheSessionRuns()
    {
        await using var client = await fixture.ConnectAsync(fixture.OperatorToken);
        var sessionId = (await CallAsync(client, "start_session", new { projectId = fixture.Project.Id, prompt = "demo for resources", runtime = "scripted" })).GetProperty("id").GetString()!;
        var transcriptUri = $"overseer://sessions/{sessionId}/transcript";
        var updated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (notification, _) =>
        {
            if (notification.Params?["uri"]?.GetValue<string>() is { } uri)
                updated.TrySetResult(uri);
            return ValueTask.CompletedTask;
        });
        await client.SubscribeToResourceAsync(transcriptUri);

        var approval = await PendingAsync(client, "pendingApprovals", sessionId);
        await CallAsync(client, "approve", new { approvalId = approval.GetProperty("id").GetString() });
        (await updated.Task.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBe(transcriptUri);

        (await client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ShouldContain("overseer://sessions/{sessionId}/transcript");
        (await client.ListResourcesAsync()).Select(r => r.Uri).ShouldContain(transcriptUri);
        var transcript = (await client.ReadResourceAsync(transcriptUri)).Contents.OfType<TextResourceContents>().Single();
        transcript.MimeType.ShouldBe("text/markdown");
        transcript.Text.ShouldContain("demo for resources");
        transcript.Text.ShouldContain("Waiting for approval");
        transcript.Text.ShouldContain("approved by olga");
        var events = (await client.ReadResourceAsync($"overseer://sessions/{sessionId}/events")).Contents.OfType<TextResourceContents>().Single();
        JsonDocument.Parse(events.Text).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ShouldContain(EventTypes.ToolCall);
        await Should.ThrowAsync<McpException>(() => client.ReadResourceAsync("overseer://sessions/s_nope/transcript").AsTask());
        await CallAsync(client, "cancel_session", new { sessionId });
    }

    [Fact]
    public async Task Prompts_AreTheTemplates_RenderedWithTheirArguments()
    {
        await using var client = await fixture.ConnectAsync(fixture.ViewerToken);
        var prompts = await client.ListPromptsAsync();
        prompts.Count.ShouldBeGreaterThan(0);
        var withArgument = prompts.First(p => p.ProtocolPrompt.Arguments is { Count: > 0 });
        var arguments = withArgument.ProtocolPrompt.Arguments!.ToDictionary(a => a.Name, a => (object?)"src/Api");
        var rendered = await client.GetPromptAsync(withArgument.Name, arguments);
        var text = rendered.Messages.Single().Content.ShouldBeOfType<TextContentBlock>().Text;
        text.ShouldContain("src/Api");
        text.ShouldNotContain("{{");
        await Should.ThrowAsync<McpException>(() => client.GetPromptAsync("t_nope").AsTask());
    }

    [Fact]
    public async Task Dashboard_McpToolCall_ShowsItsServerInputAndResult()
    {
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "mcp__github__get_issue", input = new { number = 7, repo = "acme/api" }, output = "Issue 7: the API crashes on empty bodies" } },
            new { say = "Read it." },
        });
        var session = await fixture.Server.Client.CreateSessionAsync(fixture.Project.Id, script);
        // An MCP tool is ORANGE unless the policy says otherwise: approve it, as a person would.
        var approval = JsonDocument.Parse(await Poll.UntilAsync(() => fixture.Server.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}"),
            body => body.Contains("mcp__github__get_issue", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the MCP call's approval")).RootElement.GetProperty("items")[0];
        approval.GetProperty("tier").GetString().ShouldBe("ORANGE");
        using (var approve = await fixture.Server.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{}"))
            approve.EnsureSuccessStatusCode();
        await fixture.Server.Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var (dashboard, _) = await DashboardClient.SignInAsync(fixture.Server.Address, fixture.ViewerToken);
        using (dashboard)
        {
            var page = await dashboard.GetStringAsync($"/sessions/{session.Id}");
            page.ShouldContain("<span class=\"tool-name\" title=\"mcp__github__get_issue\">get_issue</span>");
            page.ShouldContain("MCP · github");
            page.ShouldContain("acme/api");
            page.ShouldContain("Issue 7: the API crashes on empty bodies");
        }
    }
}
