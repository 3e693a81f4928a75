using System.Text.Json;
using CsCheck;
using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Properties;

public sealed class PolicyEngineProperties : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly PolicyContext _context;
    private readonly PolicyEngine _engine = new(PolicyLoader.Default);

    public PolicyEngineProperties()
    {
        var project = Directory.CreateDirectory(Path.Combine(_temp.Path, "home", "project")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(_temp.Path, "data")).FullName;
        _context = new PolicyContext(project, data, Path.Combine(_temp.Path, "home"));
    }

    public void Dispose() => _temp.Dispose();

    private static readonly Gen<string> Tools = Gen.Frequency(
        (3, (IGen<string>)Gen.OneOf("Bash", "Read", "Write", "Edit", "Glob", "Grep", "WebFetch", "WebSearch", "NotebookEdit", "Task", "mcp__x__y")),
        (1, Gens.AnyString));

    private static JsonElement Input(string text) =>
        JsonDocument.Parse($"{{\"command\": {Gens.JsonLiteral(text)}, \"file_path\": {Gens.JsonLiteral(text)}, \"path\": {Gens.JsonLiteral(text)}, \"url\": {Gens.JsonLiteral(text)}, \"pattern\": {Gens.JsonLiteral(text)}}}").RootElement;

    // Text as the server lets it reach the engine: the API refuses unpaired surrogates first
    // (JsonBody, the WebSocket reader, the script parser).
    [Fact]
    public void Evaluate_AnyToolAndInput_ReturnsADecision()
    {
        Gen.Select(Tools, Gens.WellFormedString).Check((tool, text) =>
        {
            var decision = _engine.Evaluate(tool, Input(text), _context);
            decision.ShouldNotBeNull();
            decision.Reason.ShouldNotBeNullOrEmpty();
            decision.Rule.ShouldNotBeNullOrEmpty();
        });
    }

    [Fact]
    public void Evaluate_BashWithAnyCommand_IsNeverGreenForAnUnparseableCommand()
    {
        // Whatever the text, a command the parser could not finish is never waved through.
        Gens.WellFormedString.Check(command =>
        {
            var decision = _engine.Evaluate("Bash", Input(command), _context);
            var parse = BashParser.Parse(command);
            if (parse.Incomplete || parse.Error is not null)
                decision.Tier.ShouldNotBe(Tier.Green, $"{command} → {decision.Reason}");
        });
    }

    // Found by this property: ToolClassifier reads input strings with JsonElement.GetString, which
    // throws on an escaped unpaired surrogate. The engine now answers ORANGE for such input.
    [Fact]
    public void Evaluate_InputWithUnpairedSurrogate_ReturnsADecision()
    {
        Gen.Select(Tools, Gens.AnyString).Check((tool, text) =>
        {
            _engine.Evaluate(tool, Input(text), _context).ShouldNotBeNull();
        });
    }
}
