using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Agents.ClaudeCode;

namespace Overseer.Core.Tests;

public sealed class ClaudeMessageParserTests
{
    public static TheoryData<string> Transcripts => new(ClaudeTranscripts.Names);

    private static List<ClaudeOutput> ParseAll(string transcript) =>
        ClaudeTranscripts.FromCli(transcript).SelectMany(ClaudeMessageParser.Parse).ToList();

    private static List<AgentEvent> Events(IEnumerable<ClaudeOutput> outputs) => outputs.OfType<EmitOutput>().Select(o => o.Event).ToList();

    [Theory]
    [MemberData(nameof(Transcripts))]
    public void Parse_EveryRecordedTranscript_StartsWithInitAndEndsWithAResult(string transcript)
    {
        var outputs = ParseAll(transcript);
        var started = Events(outputs).OfType<AgentStarted>().First();
        started.AgentSessionId.ShouldNotBeNullOrEmpty();
        started.Tools.ShouldNotBeNull().ShouldContain("Bash");
        started.Version.ShouldNotBeNullOrEmpty();
        outputs[^1].ShouldBeOfType<TurnResultOutput>();
    }

    [Fact]
    public void Parse_TextOnly_GivesTextAndASuccessfulResultWithUsageAndCost()
    {
        var outputs = ParseAll("01-text-only.jsonl");
        Events(outputs).OfType<AgentTextEmitted>().ShouldContain(t => t.Text == "Done. Mock reply.");
        var result = outputs.OfType<TurnResultOutput>().Single();
        result.IsError.ShouldBeFalse();
        result.ApiErrorStatus.ShouldBeNull();
        result.TotalCostUsd.ShouldNotBeNull().ShouldBeGreaterThan(0m);
        (result.InputTokens + result.OutputTokens).ShouldBeGreaterThan(0);
        result.Model.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_ToolAllowed_GivesCallPermissionRequestAndResultInOrder()
    {
        var outputs = ParseAll("02-tool-allowed.jsonl");
        var call = Events(outputs).OfType<ToolCallRequested>().Single();
        call.Name.ShouldBe("Bash");
        call.Input.GetProperty("command").GetString().ShouldBe("touch made-by-agent.txt");
        var permission = outputs.OfType<PermissionRequestOutput>().Single();
        permission.ToolName.ShouldBe("Bash");
        permission.RequestId.ShouldNotBeNullOrEmpty();
        permission.Input.GetProperty("command").GetString().ShouldBe("touch made-by-agent.txt");
        var result = Events(outputs).OfType<ToolResultEmitted>().Single();
        result.ToolUseId.ShouldBe(call.ToolUseId);
        result.IsError.ShouldBeFalse();
        outputs.IndexOf(outputs.OfType<EmitOutput>().First(o => o.Event is ToolCallRequested)).ShouldBeLessThan(outputs.IndexOf(permission));
    }

    [Fact]
    public void Parse_ToolDenied_ResultIsAnErrorCarryingTheReason()
    {
        var result = Events(ParseAll("03-tool-denied.jsonl")).OfType<ToolResultEmitted>().Single();
        result.IsError.ShouldBeTrue();
        result.Output.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_AskUserQuestion_IsAPermissionRequestWithTheQuestions()
    {
        var permission = ParseAll("04-ask-user-question.jsonl").OfType<PermissionRequestOutput>().Single();
        permission.ToolName.ShouldBe("AskUserQuestion");
        var question = permission.Input.GetProperty("questions")[0];
        question.GetProperty("question").GetString().ShouldBe("Which pricing model should the app use?");
        question.GetProperty("options").GetArrayLength().ShouldBe(2);
    }

    [Theory]
    [InlineData("05-api-500.jsonl", 500)]
    [InlineData("06-api-429.jsonl", 429)]
    public void Parse_ApiErrors_GiveRetriesAndAnErrorResultWithTheStatus(string transcript, int status)
    {
        var outputs = ParseAll(transcript);
        var retry = Events(outputs).OfType<AgentFact>().First(f => f.Type == EventTypes.AgentRetry);
        retry.Data.GetProperty("status").GetInt32().ShouldBe(status);
        retry.Data.GetProperty("attempt").GetInt32().ShouldBe(1);
        retry.Data.GetProperty("delayMs").GetInt64().ShouldBeGreaterThan(0);
        var result = outputs.OfType<TurnResultOutput>().Single();
        result.IsError.ShouldBeTrue();
        result.ApiErrorStatus.ShouldBe(status);
        result.Result.ShouldNotBeNull().ShouldContain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Parse_Interrupt_EndsWithErrorDuringExecution()
    {
        var outputs = ParseAll("08-interrupt.jsonl");
        outputs.OfType<TurnResultOutput>().Single().Subtype.ShouldBe("error_during_execution");
        Events(outputs).OfType<ToolResultEmitted>().Single().IsError.ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"type": "something_new", "x": 1}""")]
    [InlineData("""{"type": "system", "subtype": "brand_new"}""")]
    [InlineData("""{"no_type": true}""")]
    [InlineData("""{"type": "assistant"}""")]
    public void Parse_UnknownMessages_AreKeptVerbatimAsRaw(string json)
    {
        var message = JsonDocument.Parse(json).RootElement;
        var fact = ClaudeMessageParser.Parse(message).ShouldHaveSingleItem().ShouldBeOfType<EmitOutput>().Event.ShouldBeOfType<AgentFact>();
        fact.Type.ShouldBe(EventTypes.AgentRaw);
        fact.Data.GetRawText().ShouldBe(message.GetRawText());
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnored()
    {
        var message = JsonDocument.Parse("""{"type": "assistant", "brand_new_field": [1, 2], "message": {"id": "m1", "content": [{"type": "text", "text": "hi", "extra": {}}]}}""").RootElement;
        ClaudeMessageParser.Parse(message).ShouldHaveSingleItem().ShouldBeOfType<EmitOutput>().Event.ShouldBe(new AgentTextEmitted("hi", "m1"));
    }

    [Fact]
    public void Parse_ControlRequestOtherThanCanUseTool_IsUnsupported()
    {
        var message = JsonDocument.Parse("""{"type": "control_request", "request_id": "r9", "request": {"subtype": "hook_callback"}}""").RootElement;
        ClaudeMessageParser.Parse(message).ShouldHaveSingleItem().ShouldBe(new UnsupportedRequestOutput("r9", "hook_callback"));
    }

    [Fact]
    public void Parse_RateLimitEvent_ReadsTheResetTime()
    {
        var message = JsonDocument.Parse("""{"type": "rate_limit_event", "rate_limit_info": {"status": "rejected", "resetsAt": 1900000000}}""").RootElement;
        var info = ClaudeMessageParser.Parse(message).ShouldHaveSingleItem().ShouldBeOfType<RateLimitInfoOutput>();
        info.ResetsAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1900000000));
    }
}
