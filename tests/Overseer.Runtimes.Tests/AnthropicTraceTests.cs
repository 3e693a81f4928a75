using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;
using Overseer.TestKit.Otlp;

namespace Overseer.Runtimes.Tests;

/// <summary>The anthropic runtime's server with OTLP export to the TestKit's receiver.</summary>
public sealed class TracedAnthropicFixture : AnthropicFixture
{
    public OtlpReceiver Otlp { get; private set; } = null!;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Telemetry:Otlp:Endpoint"] = Otlp.Endpoint.ToString(),
        ["Telemetry:Otlp:TracesInterval"] = "00:00:00.200",
    };

    public override async Task InitializeAsync()
    {
        Otlp = await OtlpReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Otlp.DisposeAsync();
    }
}

/// <summary>A turn of Overseer's own agent loop, as a tracing backend sees it: the turn, each model call and the tool call between them.</summary>
public sealed class AnthropicTraceTests(TracedAnthropicFixture world) : IClassFixture<TracedAnthropicFixture>
{
    [Fact]
    public async Task Turn_ExportsModelCallsAndToolCall_UnderTheTurnSpan()
    {
        var (_, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Bash("echo traced", "say it"));
        world.Api.Enqueue(MockReply.Text("Done."));
        var id = await world.StartSessionAsync(project, "Run echo");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        bool OfSession(ReceivedSpan s, IReadOnlyList<ReceivedSpan> all) =>
            s.Attributes.GetValueOrDefault("overseer.session.id") == id
            || all.Any(t => t.Name == "agent.turn" && t.TraceId == s.TraceId && t.Attributes.GetValueOrDefault("overseer.session.id") == id);
        var spans = await Poll.UntilAsync(() => Task.FromResult(world.Otlp.Spans),
            all => all.Count(s => s.Name == "model.call" && OfSession(s, all)) == 2 && all.Any(s => s.Name == "tool.call" && OfSession(s, all)),
            TimeSpan.FromSeconds(30), "the turn's spans at the OTLP receiver");
        var turn = spans.Single(s => s.Name == "agent.turn" && s.Attributes.GetValueOrDefault("overseer.session.id") == id);
        turn.Attributes["overseer.runtime"].ShouldBe("anthropic");

        var calls = spans.Where(s => s.Name == "model.call" && s.TraceId == turn.TraceId).ToList();
        calls.Count.ShouldBe(2);
        calls.ShouldAllBe(c => c.ParentSpanId == turn.SpanId);
        calls.ShouldAllBe(c => c.Attributes["gen_ai.system"] == "anthropic");
        calls.ShouldAllBe(c => long.Parse(c.Attributes["gen_ai.usage.output_tokens"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        calls.Select(c => c.Attributes["gen_ai.response.finish_reasons"]).ShouldBe(["tool_use", "end_turn"], ignoreOrder: true);

        var tool = spans.Single(s => s.Name == "tool.call" && s.TraceId == turn.TraceId);
        tool.ParentSpanId.ShouldBe(turn.SpanId);
        tool.Attributes["overseer.tool.name"].ShouldBe("Bash");
        tool.Attributes["overseer.tool.decision"].ShouldBe("allow");
        tool.Attributes.ContainsKey("overseer.approval.wait_ms").ShouldBeFalse("no person was asked");
    }
}
