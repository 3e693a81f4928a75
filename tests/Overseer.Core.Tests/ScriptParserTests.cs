using System.Text.Json;
using Overseer.Core.Agents.Scripted;

namespace Overseer.Core.Tests;

public sealed class ScriptParserTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string ParseError(string json) => Should.Throw<ScriptException>(() => ScriptParser.Parse(Json(json))).Message;

    [Fact]
    public void Parse_EveryStepKind_ReturnsTheTypedSteps()
    {
        var steps = ScriptParser.Parse(Json(
            """
            [
              {"say": "hello"},
              {"think": "hmm"},
              {"tool": {"name": "Bash", "input": {"command": "ls"}, "output": "a\nb", "isError": true}},
              {"ask": {"question": "Which?", "header": "Pick", "multiSelect": true,
                       "options": ["A", {"label": "B", "description": "the second"}]}},
              {"sleep": 250},
              {"usage": {"inputTokens": 10, "outputTokens": 3, "costUsd": 0.25, "model": "m1"}},
              {"fail": "boom"}
            ]
            """));

        steps.Count.ShouldBe(7);
        steps[0].ShouldBe(new SayStep("hello"));
        steps[1].ShouldBe(new ThinkStep("hmm"));
        var tool = steps[2].ShouldBeOfType<ToolStep>();
        tool.Name.ShouldBe("Bash");
        tool.Input.GetProperty("command").GetString().ShouldBe("ls");
        tool.Output.ShouldBe("a\nb");
        tool.IsError.ShouldBeTrue();
        var ask = steps[3].ShouldBeOfType<AskStep>().Question;
        ask.Question.ShouldBe("Which?");
        ask.Header.ShouldBe("Pick");
        ask.MultiSelect.ShouldBeTrue();
        ask.Options.Select(o => (o.Label, o.Description)).ShouldBe([("A", null), ("B", "the second")]);
        steps[4].ShouldBe(new SleepStep(250));
        steps[5].ShouldBe(new UsageStep(10, 3, 0.25m, "m1"));
        steps[6].ShouldBe(new FailStep("boom"));
    }

    [Fact]
    public void Parse_ToolWithOnlyAName_DefaultsToEmptyInputNoOutputAndNoError()
    {
        var tool = ScriptParser.Parse(Json("""[{"tool": {"name": "Read"}}]""")).Single().ShouldBeOfType<ToolStep>();

        tool.Input.ValueKind.ShouldBe(JsonValueKind.Object);
        tool.Input.EnumerateObject().ShouldBeEmpty();
        tool.Output.ShouldBeNull();
        tool.IsError.ShouldBeFalse();
    }

    [Fact]
    public void Parse_AskWithoutOptions_IsAFreeTextQuestion()
    {
        var ask = ScriptParser.Parse(Json("""[{"ask": {"question": "Anything else?"}}]""")).Single().ShouldBeOfType<AskStep>();

        ask.Question.Options.ShouldBeEmpty();
        ask.Question.MultiSelect.ShouldBeFalse();
        ask.Question.Header.ShouldBeNull();
    }

    [Fact]
    public void Parse_UsageWithNoFields_IsAllZeros()
    {
        ScriptParser.Parse(Json("""[{"usage": {}}]""")).Single().ShouldBe(new UsageStep(0, 0, 0m, null));
    }

    [Theory]
    [InlineData("""[{"sleep": 0}]""", 0)]
    [InlineData("""[{"sleep": 600000}]""", 600_000)]
    public void Parse_SleepAtTheBoundaries_IsAccepted(string json, int milliseconds)
    {
        ScriptParser.Parse(Json(json)).Single().ShouldBe(new SleepStep(milliseconds));
    }

    [Theory]
    [InlineData("""{"say": "hi"}""", "script must be a JSON array of steps.")]
    [InlineData("\"say hi\"", "script must be a JSON array of steps.")]
    [InlineData("null", "script must be a JSON array of steps.")]
    [InlineData("[]", "script must have at least one step.")]
    [InlineData("""[{"say": "a"}, "say"]""", "script[1]: a step must be an object")]
    [InlineData("""[{"say": "a"}, {}]""", "script[1]: empty step")]
    [InlineData("""[{"dance": "now"}]""", "script[0]: unknown step 'dance'")]
    [InlineData("""[{"say": "a"}, {"say": "b", "think": "c"}]""", "script[1]: a step has exactly one key; found 'say' and 'think'")]
    [InlineData("""[{"say": 5}]""", "script[0].say: must be a string.")]
    [InlineData("""[{"say": ""}]""", "script[0].say: must not be empty.")]
    [InlineData("""[{"think": null}]""", "script[0].think: must be a string.")]
    [InlineData("""[{"fail": true}]""", "script[0].fail: must be a string.")]
    [InlineData("""[{"sleep": -1}]""", "script[0].sleep: must be a whole number from 0 to 600000.")]
    [InlineData("""[{"sleep": 600001}]""", "script[0].sleep: must be a whole number from 0 to 600000.")]
    [InlineData("""[{"sleep": 1.5}]""", "script[0].sleep: must be a whole number from 0 to 600000.")]
    [InlineData("""[{"sleep": "100"}]""", "script[0].sleep: must be a whole number from 0 to 600000.")]
    [InlineData("""[{"tool": "Bash"}]""", "script[0].tool: must be an object.")]
    [InlineData("""[{"tool": {"input": {}}}]""", "script[0].tool.name: is required.")]
    [InlineData("""[{"tool": {"name": 1}}]""", "script[0].tool.name: must be a string.")]
    [InlineData("""[{"tool": {"name": "Bash", "input": [1]}}]""", "script[0].tool.input: must be an object.")]
    [InlineData("""[{"tool": {"name": "Bash", "output": 3}}]""", "script[0].tool.output: must be a string.")]
    [InlineData("""[{"tool": {"name": "Bash", "isError": "yes"}}]""", "script[0].tool.isError: must be true or false.")]
    [InlineData("""[{"say": "a"}, {"ask": {"question": "q", "options": "A or B"}}]""", "script[1].ask.options: must be an array")]
    [InlineData("""[{"say": "a"}, {"ask": {"question": "q", "multiSelect": true}}]""", "script[1].ask.options: a multi-select question needs options.")]
    [InlineData("""[{"ask": {"options": ["A"]}}]""", "script[0].ask.question: is required.")]
    [InlineData("""[{"ask": {"question": "q", "options": [3]}}]""", "script[0].ask.options[0]: must be a string.")]
    [InlineData("""[{"ask": {"question": "q", "options": ["A", {"description": "d"}]}}]""", "script[0].ask.options[1].label: is required.")]
    [InlineData("""[{"ask": {"question": "q", "multiSelect": "yes", "options": ["A"]}}]""", "script[0].ask.multiSelect: must be true or false.")]
    [InlineData("""[{"usage": 5}]""", "script[0].usage: must be an object.")]
    [InlineData("""[{"usage": {"inputTokens": "5"}}]""", "script[0].usage.inputTokens: must be a whole number")]
    [InlineData("""[{"usage": {"outputTokens": -1}}]""", "script[0].usage.outputTokens: must be a whole number")]
    [InlineData("""[{"usage": {"costUsd": -0.5}}]""", "script[0].usage.costUsd: must be a non-negative number.")]
    [InlineData("""[{"usage": {"costUsd": "0.5"}}]""", "script[0].usage.costUsd: must be a non-negative number.")]
    public void Parse_InvalidScript_ErrorNamesTheStepAndField(string json, string expected)
    {
        ParseError(json).ShouldStartWith(expected);
    }

    [Fact]
    public void Validate_InvalidScript_ReturnsTheParserMessage()
    {
        var runtime = new ScriptedRuntime();

        runtime.Validate(Json("""[{"say": "a"}, {"ask": {"question": "q", "options": {}}}]""")).ShouldNotBeNull().ShouldStartWith("script[1].ask.options");
    }

    [Fact]
    public void Validate_NoScriptOrNullOrValidScript_ReturnsNull()
    {
        var runtime = new ScriptedRuntime();

        runtime.Validate(null).ShouldBeNull();
        runtime.Validate(Json("null")).ShouldBeNull();
        runtime.Validate(Json("""[{"say": "hello"}]""")).ShouldBeNull();
    }

    [Fact]
    public void DemoScript_Parses_AndShowsEveryKindOfEvent()
    {
        var steps = ScriptParser.Parse(DemoScript.Script);

        steps.Count.ShouldBe(DemoScript.Steps.Count);
        steps.ShouldContain(s => s is SayStep);
        steps.ShouldContain(s => s is ThinkStep);
        steps.ShouldContain(s => s is ToolStep);
        steps.ShouldContain(s => s is AskStep);
        steps.ShouldContain(s => s is UsageStep);
        steps.OfType<PhaseStep>().Select(p => p.Name).ShouldBe(["Look around", "Check with you", "Make a small change"]);
        steps.OfType<ProgressStep>().Count().ShouldBeGreaterThan(3);
        steps.ShouldNotContain(s => s is FailStep);
    }
}
