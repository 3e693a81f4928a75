using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// kill -9 while a session waits on a person, for every kind of item and both runtimes (the real
/// CLI against the mock API, and scripted): the item stays open across the restart, and answering
/// it starts the agent again with --resume and the answer as its message.
/// </summary>
public sealed class CrashWhileWaitingTests
{
    private const string Question = "Which pricing model should the app use?";
    private const string Options = "options: [Subscription, Freemium]";

    // Before Kinds, which uses it (static fields initialise in order).
    private static readonly string Answers = JsonSerializer.Serialize(new { answers = new Dictionary<string, string> { [Question] = "Freemium" } });

    /// <summary>How the agent asks, how a person answers, and what the agent then reads.</summary>
    private sealed record Kind(Func<MockReply> Claude, string Script, string List, string Answer, string AnswerBody, string Told);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["question"] = new(() => MockReply.AskUserQuestion(Question, ["Subscription", "Freemium"], id: "toolu_ask"),
            JsonSerializer.Serialize(new { ask = new { question = Question, options = new[] { "Subscription", "Freemium" } } }),
            "questions", "answer", Answers, $"Answer to your question \"{Question}\": Freemium"),
        ["text-question"] = new(() => MockReply.Text(TextQuestion),
            JsonSerializer.Serialize(new { say = TextQuestion }),
            "questions", "answer", Answers, $"Answer to your question \"{Question}\": Freemium"),
        ["plan"] = new(() => MockReply.ExitPlanMode("# Plan\n1. Build the pricing page", id: "toolu_plan"),
            """{"plan": "# Plan\n1. Build the pricing page"}""",
            "reviews", "approve", "{}", "Your plan was approved. Go ahead with it."),
        ["phase"] = new(() => MockReply.Text(PhaseDone),
            JsonSerializer.Serialize(new { say = PhaseDone }),
            "reviews", "approve", "{}", "The phase was approved. Continue with the next phase."),
        ["dependency"] = new(() => MockReply.Text(DependencyRequest),
            JsonSerializer.Serialize(new { say = DependencyRequest }),
            "dependencies", "provide", """{"value": "pk_test_crash"}""", "The dependency PAYMENTS_KEY has been provided"),
    };

    private const string TextQuestion = $"Before I start:\n[USER_QUESTION]\ncategory: scope\nquestion: {Question}\n{Options}\n[/USER_QUESTION]\n";
    private const string PhaseDone = "Priced the page.\n=== PHASE 1 COMPLETE ===\n";
    private const string DependencyRequest = "I need a key.\n[DEPENDENCY_REQUEST]\ntype: api_key\nname: PAYMENTS_KEY\ndescription: the payments API key\nrequired: true\n[/DEPENDENCY_REQUEST]\n";

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var runtime in new[] { "claude-code", "scripted" })
            foreach (var kind in Kinds.Keys)
                cases.Add(runtime, kind);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ServerKilledWhileTheSessionWaitsOnAPerson_TheItemStaysOpen_AndAnsweringResumesTheAgentWithTheAnswer(string runtime, string kindName)
    {
        var kind = Kinds[kindName];
        var claude = runtime == "claude-code";
        using var root = new TempDirectory();
        await using var api = await MockAnthropicServer.StartAsync();
        var environment = new Dictionary<string, string> { ["OVERSEER__Sandbox__Mode"] = "Off" };
        if (claude)
        {
            environment["OVERSEER__Runtimes__ClaudeCode__ExecutablePath"] = ClaudeCli.RequireExecutablePath();
            if (kindName == "plan")
                environment["OVERSEER__Runtimes__ClaudeCode__PermissionMode"] = "plan";
            foreach (var (key, value) in ClaudeCli.Environment(api.BaseUrl, root.Create("home"), maxRetries: 1))
                environment["OVERSEER__Runtimes__ClaudeCode__Environment__" + key.ToUpperInvariant()] = value;
        }
        var data = Path.Combine(root.Path, "data");
        var projects = root.Create("projects");
        var projectDir = root.Create("projects/app");

        api.Enqueue(kind.Claude());
        string sessionId;
        await using (var first = await ServerProcess.StartAsync(data, projects, environment))
        {
            using var client = first.CreateClient();
            var project = await client.CreateProjectAsync(projectDir);
            var body = JsonSerializer.Serialize(new { projectId = project.Id, prompt = "Sort out the pricing", runtime, script = claude ? (JsonElement?)null : JsonDocument.Parse($"[{kind.Script}]").RootElement });
            using var created = await client.PostJsonAsync("/api/sessions", body);
            created.IsSuccessStatusCode.ShouldBeTrue(await created.Content.ReadAsStringAsync());
            sessionId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            await client.WaitForStatusAsync(sessionId, SessionStatus.Waiting, TimeSpan.FromSeconds(30));
            await first.KillAsync();
        }

        await using var second = await ServerProcess.StartAsync(data, projects, environment);
        using var again = second.CreateClient();
        var history = async () => string.Join("\n", (await again.GetEventsAsync(sessionId)).Select(e => e.Type + " " + e.Data.GetRawText()));
        var held = await again.GetSessionAsync(sessionId);
        held.Status.ShouldBe(SessionStatus.Waiting, await history());
        held.Hibernated.ShouldBeTrue();
        var items = JsonDocument.Parse(await again.GetStringAsync($"/api/{kind.List}?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items");
        items.GetArrayLength().ShouldBe(1, await history());
        api.Enqueue(MockReply.Text("Carrying on with that."));

        using (var answered = await again.PostJsonAsync($"/api/{kind.List}/{items[0].GetProperty("id").GetString()}/{kind.Answer}", kind.AnswerBody))
            answered.IsSuccessStatusCode.ShouldBeTrue(await answered.Content.ReadAsStringAsync());

        await again.WaitForStatusAsync(sessionId, SessionStatus.Idle, TimeSpan.FromSeconds(30));
        var events = await again.GetEventsAsync(sessionId);
        events.Last(e => e.Type == EventTypes.AgentStarted).Data.GetProperty("resumed").GetBoolean().ShouldBeTrue();
        events.Last(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString()!.ShouldContain(kind.Told);
        if (claude)
        {
            events.Last(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString().ShouldBe("Carrying on with that.");
            var resumed = string.Join("\n", Strings(JsonDocument.Parse(api.ConversationRequests[^1].BodyText).RootElement.GetProperty("messages")));
            resumed.ShouldContain("Sort out the pricing", customMessage: "the resumed CLI carries the conversation from before the crash");
            resumed.ShouldContain(kind.Told);
        }
        else
        {
            // The scripted agent says what it was sent.
            events.Last(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString()!.ShouldContain(kind.Told);
        }
    }

    /// <summary>Every string in a request's messages, unescaped (the texts the model was sent).</summary>
    private static IEnumerable<string> Strings(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => [json.GetString()!],
        JsonValueKind.Array => json.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => json.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };
}
