using System.Globalization;
using System.Text.Json;
using CsCheck;
using Overseer.Core.Agents.Scripted;

namespace Overseer.Core.Tests.Properties;

public sealed class ScriptParserProperties
{
    private static readonly string[] Keys =
    [
        "say", "think", "tool", "ask", "plan", "sleep", "usage", "fail", "name", "input", "output", "isError",
        "question", "options", "header", "multiSelect", "label", "description", "inputTokens", "outputTokens", "costUsd", "model",
    ];

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (4, (IGen<string>)Gens.AnyString.Select(Gens.JsonLiteral)),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("true", "false", "null", "0", "-1", "1e400", "0.5", "600001", "2147483648", "-0")));

    private static readonly Gen<string> Key = Gen.Frequency(
        (4, (IGen<string>)Gen.OneOf(Keys).Select(k => "\"" + k + "\"")),
        (1, Gens.AnyString.Select(Gens.JsonLiteral)));

    /// <summary>Arbitrary JSON, biased towards the shapes a script has: arrays of one-key objects.</summary>
    private static Gen<string> Json(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (2, (IGen<string>)Scalar),
            (2, Json(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (3, Gen.Select(Key, Json(depth - 1)).Array[0, 3].Select(members => "{" + string.Join(",", members.Select(m => m.Item1 + ":" + m.Item2)) + "}")));

    [Fact]
    public void Parse_AnyJson_ReturnsAScriptOrThrowsScriptException()
    {
        Json(4).Select(items => "[" + items + "]").Check(json =>
        {
            using var document = JsonDocument.Parse(json);
            try
            {
                ScriptParser.Parse(document.RootElement).ShouldNotBeEmpty();
            }
            catch (ScriptException ex)
            {
                ex.Message.ShouldStartWith("script");
            }
        });
    }

    [Fact]
    public void Parse_AnyJsonValue_ReturnsAScriptOrThrowsScriptException()
    {
        Json(3).Check(json =>
        {
            using var document = JsonDocument.Parse(json);
            try
            {
                ScriptParser.Parse(document.RootElement);
            }
            catch (ScriptException)
            {
                // The one expected failure.
            }
        });
    }

    [Fact]
    public void Parse_SayStepsWithWellFormedText_KeepEveryText()
    {
        Gens.WellFormedString.Where(s => s.Length > 0).Array[1, 5].Check(texts =>
        {
            using var document = JsonDocument.Parse("[" + string.Join(",", texts.Select(t => $"{{\"say\": {Gens.JsonLiteral(t)}}}")) + "]");
            ScriptParser.Parse(document.RootElement).Cast<SayStep>().Select(s => s.Text).ShouldBe(texts);
        });
    }
}
