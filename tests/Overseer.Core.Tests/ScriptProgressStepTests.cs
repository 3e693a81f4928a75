using System.Text.Json;
using Overseer.Core.Agents.Scripted;

namespace Overseer.Core.Tests;

/// <summary>The scripted runtime's progress steps: <c>phase</c> and <c>progress</c>.</summary>
public sealed class ScriptProgressStepTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string ParseError(string json) => Should.Throw<ScriptException>(() => ScriptParser.Parse(Json(json))).Message;

    [Fact]
    public void Parse_PhaseAndProgress_InTheirShortAndLongForms()
    {
        var steps = ScriptParser.Parse(Json(
            """
            [
              {"phase": "Design"},
              {"phase": {"name": "Build", "index": 2, "total": 3}},
              {"progress": 40},
              {"progress": {"percent": 55, "text": "tests"}},
              {"progress": {"step": 3, "steps": 4, "text": "three of four"}}
            ]
            """));

        steps.ShouldBe([
            new PhaseStep("Design", null, null),
            new PhaseStep("Build", 2, 3),
            new ProgressStep(40, null, null, null),
            new ProgressStep(55, "tests", null, null),
            new ProgressStep(75, "three of four", 3, 4),
        ]);
    }

    [Theory]
    [InlineData("""[{"progress": 101}]""", "script[0].progress: must be a whole number from 0 to 100.")]
    [InlineData("""[{"progress": {"text": "?"}}]""", "script[0].progress.percent: is required (a whole number from 0 to 100), unless step and steps are given.")]
    [InlineData("""[{"progress": {"percent": 5, "step": 2}}]""", "script[0].progress: step and steps go together (step 3 of steps 4).")]
    [InlineData("""[{"progress": {"step": 5, "steps": 4}}]""", "script[0].progress.step: step 5 is not one of 4 steps.")]
    [InlineData("""[{"phase": {"index": 1}}]""", "script[0].phase.name: is required.")]
    [InlineData("""[{"phase": {"name": "x", "index": 4, "total": 3}}]""", "script[0].phase.index: phase 4 is not one of 3 phases.")]
    [InlineData("""[{"phase": ""}]""", "script[0].phase: must not be empty.")]
    public void Parse_BadProgressStep_NamesTheStepAndWhatIsWrong(string json, string message)
    {
        ParseError(json).ShouldBe(message);
    }
}
