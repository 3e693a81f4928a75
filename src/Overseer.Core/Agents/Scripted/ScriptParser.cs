using System.Runtime.InteropServices;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.Contracts.Text;

namespace Overseer.Core.Agents.Scripted;

/// <summary>
/// Parses a script: a JSON array of one-key step objects. Errors name the step by index and say
/// what was expected, e.g. <c>script[3].ask.options: must be a non-empty array</c>.
/// </summary>
public static class ScriptParser
{
    public const int MaxSleepMs = 600_000;
    public const int MaxSteps = 100_000;

    public static IReadOnlyList<ScriptStep> Parse(JsonElement script)
    {
        if (script.ValueKind != JsonValueKind.Array)
            throw new ScriptException("script must be a JSON array of steps.");
        var count = script.GetArrayLength();
        if (count == 0)
            throw new ScriptException("script must have at least one step.");
        if (count > MaxSteps)
            throw new ScriptException($"script has {count} steps; at most {MaxSteps} are allowed.");
        // One check over the raw text instead of guarding every read: a step's text (and the tool
        // input kept as JSON for later) must be Unicode, or whatever reads it later throws.
        if (JsonTextCheck.Find(JsonMarshal.GetRawUtf8Value(script)) is { } invalid)
        {
            var at = invalid.Field is null ? "script" : invalid.Field.StartsWith('[') ? "script" + invalid.Field : "script." + invalid.Field;
            throw new ScriptException($"{at}: is not valid Unicode text (invalid UTF-8 or an unpaired surrogate such as \\uD800).");
        }
        var steps = new List<ScriptStep>(count);
        var index = 0;
        foreach (var element in script.EnumerateArray())
        {
            steps.Add(ParseStep(element, $"script[{index}]"));
            index++;
        }
        return steps;
    }

    private static ScriptStep ParseStep(JsonElement element, string at)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new ScriptException($"{at}: a step must be an object such as {{\"say\": \"hello\"}}.");
        using var properties = element.EnumerateObject();
        if (!properties.MoveNext())
            throw new ScriptException($"{at}: empty step; expected one of say, think, tool, ask, plan, sleep, usage, fail, phase, progress.");
        var property = properties.Current;
        if (properties.MoveNext())
            throw new ScriptException($"{at}: a step has exactly one key; found '{property.Name}' and '{properties.Current.Name}'.");
        var value = property.Value;
        var path = $"{at}.{property.Name}";
        return property.Name switch
        {
            "say" => new SayStep(String(value, path)),
            "think" => new ThinkStep(String(value, path)),
            "fail" => new FailStep(String(value, path)),
            "plan" => new PlanStep(String(value, path)),
            "sleep" => new SleepStep(Integer(value, path, 0, MaxSleepMs)),
            "tool" => ParseTool(value, path),
            "ask" => ParseAsk(value, path),
            "usage" => ParseUsage(value, path),
            "phase" => ParsePhase(value, path),
            "progress" => ParseProgress(value, path),
            _ => throw new ScriptException($"{at}: unknown step '{property.Name}'; expected one of say, think, tool, ask, plan, sleep, usage, fail, phase, progress."),
        };
    }

    private static ToolStep ParseTool(JsonElement value, string path)
    {
        RequireObject(value, path);
        var name = String(Required(value, "name", path), path + ".name");
        var input = value.TryGetProperty("input", out var i) ? i : EmptyObject;
        if (input.ValueKind != JsonValueKind.Object)
            throw new ScriptException($"{path}.input: must be an object.");
        var output = value.TryGetProperty("output", out var o) ? String(o, path + ".output", allowEmpty: true) : null;
        var isError = value.TryGetProperty("isError", out var e) && Boolean(e, path + ".isError");
        return new ToolStep(name, input.Clone(), output, isError);
    }

    private static AskStep ParseAsk(JsonElement value, string path)
    {
        RequireObject(value, path);
        var question = String(Required(value, "question", path), path + ".question");
        var header = value.TryGetProperty("header", out var h) ? String(h, path + ".header") : null;
        var multiSelect = value.TryGetProperty("multiSelect", out var m) && Boolean(m, path + ".multiSelect");
        var options = new List<QuestionOption>();
        if (value.TryGetProperty("options", out var o))
        {
            if (o.ValueKind != JsonValueKind.Array)
                throw new ScriptException($"{path}.options: must be an array of labels or {{label, description}} objects.");
            var i = 0;
            foreach (var option in o.EnumerateArray())
            {
                var at = $"{path}.options[{i++}]";
                options.Add(option.ValueKind == JsonValueKind.Object
                    ? new QuestionOption(String(Required(option, "label", at), at + ".label"),
                        option.TryGetProperty("description", out var d) ? String(d, at + ".description", allowEmpty: true) : null)
                    : new QuestionOption(String(option, at)));
            }
        }
        if (multiSelect && options.Count == 0)
            throw new ScriptException($"{path}.options: a multi-select question needs options.");
        return new AskStep(new QuestionItem(question, header, options, multiSelect));
    }

    private static UsageStep ParseUsage(JsonElement value, string path)
    {
        RequireObject(value, path);
        var input = value.TryGetProperty("inputTokens", out var i) ? Integer(i, path + ".inputTokens", 0, int.MaxValue) : 0;
        var output = value.TryGetProperty("outputTokens", out var o) ? Integer(o, path + ".outputTokens", 0, int.MaxValue) : 0;
        decimal cost = 0;
        if (value.TryGetProperty("costUsd", out var c) && (c.ValueKind != JsonValueKind.Number || !c.TryGetDecimal(out cost) || cost < 0))
            throw new ScriptException($"{path}.costUsd: must be a non-negative number.");
        var model = value.TryGetProperty("model", out var md) ? String(md, path + ".model") : null;
        return new UsageStep(input, output, cost, model);
    }

    /// <summary><c>{"phase": "Design"}</c> or <c>{"phase": {"name": "Design", "index": 2, "total": 4}}</c>.</summary>
    private static PhaseStep ParsePhase(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
            return new PhaseStep(String(value, path), null, null);
        RequireObject(value, path);
        var name = String(Required(value, "name", path), path + ".name");
        int? index = value.TryGetProperty("index", out var i) ? Integer(i, path + ".index", 1, 10_000) : null;
        int? total = value.TryGetProperty("total", out var t) ? Integer(t, path + ".total", 1, 10_000) : null;
        if (index > total)
            throw new ScriptException($"{path}.index: phase {index} is not one of {total} phases.");
        return new PhaseStep(name, index, total);
    }

    /// <summary>
    /// <c>{"progress": 40}</c> or <c>{"progress": {"percent": 40, "text": "…"}}</c>; with <c>step</c> and
    /// <c>steps</c> the percentage may be left out (step 3 of 4 is 75%).
    /// </summary>
    private static ProgressStep ParseProgress(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number)
            return new ProgressStep(Integer(value, path, 0, 100), null, null, null);
        RequireObject(value, path);
        var text = value.TryGetProperty("text", out var x) ? String(x, path + ".text", allowEmpty: true) : null;
        int? step = value.TryGetProperty("step", out var s) ? Integer(s, path + ".step", 1, 10_000) : null;
        int? steps = value.TryGetProperty("steps", out var n) ? Integer(n, path + ".steps", 1, 10_000) : null;
        if ((step is null) != (steps is null))
            throw new ScriptException($"{path}: step and steps go together (step 3 of steps 4).");
        if (step > steps)
            throw new ScriptException($"{path}.step: step {step} is not one of {steps} steps.");
        int percent;
        if (value.TryGetProperty("percent", out var p))
            percent = Integer(p, path + ".percent", 0, 100);
        else if (step is { } i && steps is { } of)
            percent = i * 100 / of;
        else
            throw new ScriptException($"{path}.percent: is required (a whole number from 0 to 100), unless step and steps are given.");
        return new ProgressStep(percent, text, step, steps);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private static JsonElement Required(JsonElement value, string name, string path) =>
        value.TryGetProperty(name, out var found) ? found : throw new ScriptException($"{path}.{name}: is required.");

    private static void RequireObject(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new ScriptException($"{path}: must be an object.");
    }

    private static string String(JsonElement value, string path, bool allowEmpty = false)
    {
        if (value.ValueKind != JsonValueKind.String)
            throw new ScriptException($"{path}: must be a string.");
        var text = value.GetString()!;
        if (!allowEmpty && text.Length == 0)
            throw new ScriptException($"{path}: must not be empty.");
        return text;
    }

    private static int Integer(JsonElement value, string path, int min, int max) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max
            ? n
            : throw new ScriptException($"{path}: must be a whole number from {min} to {max}.");

    private static bool Boolean(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ScriptException($"{path}: must be true or false."),
    };
}

public sealed class ScriptException(string message) : Exception(message);
