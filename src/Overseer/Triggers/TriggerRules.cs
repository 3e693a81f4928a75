using System.Text.Json;
using System.Text.RegularExpressions;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;

namespace Overseer.Triggers;

/// <summary>
/// A trigger's rules: checked when they are saved (each names a known event, a template that
/// exists, and maps only that template's parameters, covering the required ones), matched against
/// each delivery in order, and turned into the template's parameters, typed as its schema says.
/// </summary>
internal sealed partial class TriggerRules(TemplateCatalog templates, SessionManager sessions)
{
    public const int MaxRules = 20;
    public const int MaxTextChars = 100;

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex GenericEventName();

    /// <summary>Null when the rules can be saved for this provider; else the first problem, naming its field.</summary>
    public async Task<ApiProblem?> CheckAsync(string provider, IReadOnlyList<TriggerRuleDto>? rules, CancellationToken cancellationToken)
    {
        if (rules is null || rules.Count == 0)
            return Invalid("rules", "A trigger needs at least one rule: which event starts which template.");
        if (rules.Count > MaxRules)
            return Invalid("rules", $"A trigger may have at most {MaxRules} rules.");
        for (var i = 0; i < rules.Count; i++)
        {
            if (await CheckRuleAsync(provider, rules[i], $"rules[{i}]", cancellationToken) is { } problem)
                return problem;
        }
        return null;
    }

    private async Task<ApiProblem?> CheckRuleAsync(string provider, TriggerRuleDto? rule, string at, CancellationToken cancellationToken)
    {
        if (rule is null)
            return Invalid(at, $"{at} is empty.");
        var name = rule.Event?.Trim();
        if (provider == TriggerProviders.Generic)
        {
            if (name is null || !(name == "*" || GenericEventName().IsMatch(name)))
                return Invalid(at + ".event", $"{at}.event must be * (any event) or the name a sender puts in X-Overseer-Event: letters, digits and _ . : -.");
        }
        else if (name is null || !TriggerProviders.Events.Contains(name))
        {
            return Invalid(at + ".event", $"{at}.event must be one of: {string.Join(", ", TriggerProviders.Events)}.");
        }
        if (rule.Label is not null && ((provider != TriggerProviders.Generic && !TriggerProviders.IsLabelEvent(name)) || !IsShortText(rule.Label)))
            return Invalid(at + ".label", $"{at}.label filters label events ({TriggerProviders.IssueLabeled}, {TriggerProviders.PullRequestLabeled}): one line of at most {MaxTextChars} characters.");
        if (name == TriggerProviders.CommentCreated && string.IsNullOrWhiteSpace(rule.Command))
            return Invalid(at + ".command", $"{at}.command is required for comments (such as /overseer fix): a rule taking every comment would answer its own.");
        if (rule.Command is not null && ((provider != TriggerProviders.Generic && name != TriggerProviders.CommentCreated) || !IsShortText(rule.Command) || string.IsNullOrWhiteSpace(rule.Command)))
            return Invalid(at + ".command", $"{at}.command is for comment events: one line of at most {MaxTextChars} characters that a comment must start with.");
        if (rule.Isolation is not (null or "none" or "worktree"))
            return Invalid(at + ".isolation", $"{at}.isolation must be \"worktree\" or \"none\".");
        if (rule.Runtime is { } runtime && sessions.Runtimes.All(r => r.Name != runtime))
            return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.UnknownRuntime, $"{at}.runtime '{runtime}' is not one of: {string.Join(", ", sessions.Runtimes.Select(r => r.Name).Order())}.", at + ".runtime");
        if (string.IsNullOrWhiteSpace(rule.TemplateId))
            return Invalid(at + ".templateId", $"{at}.templateId is required: the template the rule starts.");
        if (await templates.FindAsync(rule.TemplateId, cancellationToken) is not { } template)
            return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.TemplateNotFound, $"No template has id '{rule.TemplateId}'.", at + ".templateId");
        if (rule.Script is { ValueKind: not JsonValueKind.Null } script)
        {
            var runtimeName = rule.Runtime ?? template.Defaults.Runtime ?? sessions.DefaultRuntime;
            if (sessions.Runtimes.FirstOrDefault(r => r.Name == runtimeName)?.Validate(script) is { } scriptProblem)
                return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidScript, $"{at}.script: {scriptProblem}", at + ".script");
        }
        var schema = template.ParametersSchema;
        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var mapped = rule.Parameters ?? [];
        foreach (var (parameter, expression) in mapped)
        {
            var field = $"{at}.parameters.{parameter}";
            if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(parameter, out _))
            {
                var names = properties.ValueKind == JsonValueKind.Object ? string.Join(", ", properties.EnumerateObject().Select(x => x.Name)) : "";
                return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidParameter,
                    $"'{parameter}' is not a parameter of template '{template.Name}'; it has: {(names.Length == 0 ? "none" : names)}.", field);
            }
            if (PayloadExpression.Parse(expression).Problem is { } problem)
                return Invalid(field, $"{field} {problem}");
        }
        foreach (var required in Required(schema))
        {
            var property = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(required, out var x) ? x : default;
            var hasDefault = property.ValueKind == JsonValueKind.Object && property.TryGetProperty("default", out _);
            if (!hasDefault && !mapped.ContainsKey(required))
                return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidParameter,
                    $"Template '{template.Name}' needs parameter '{required}': map it to a payload field (such as event.title or $.issue.body).", $"{at}.parameters.{required}");
        }
        return null;
    }

    /// <summary>The first rule the delivery matches, with the label and command text that made it match; or null and why none did.</summary>
    public static (RuleMatch? Match, string? Why) Match(string provider, IReadOnlyList<TriggerRuleDto> rules, HookEvent hook)
    {
        if (hook.FromOverseer)
            return (null, "The comment is one Overseer posted.");
        var reasons = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (!(rule.Event == hook.Name || (provider == TriggerProviders.Generic && rule.Event == "*")))
                continue;
            string? label = null;
            if (TriggerProviders.IsLabelEvent(hook.Name) || rule.Label is not null)
            {
                label = rule.Label is null ? hook.Labels.FirstOrDefault() : hook.Labels.FirstOrDefault(l => string.Equals(l, rule.Label, StringComparison.OrdinalIgnoreCase));
                if (label is null)
                {
                    reasons.Add($"rule {i} wants label '{rule.Label}', the event has {(hook.Labels.Count == 0 ? "none" : string.Join(", ", hook.Labels.Select(l => $"'{l}'")))}");
                    continue;
                }
            }
            string? command = null;
            if (rule.Command is { } prefix)
            {
                var text = hook.Comment?.TrimStart() ?? "";
                if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || (text.Length > prefix.Length && !char.IsWhiteSpace(text[prefix.Length])))
                {
                    reasons.Add($"rule {i} wants a comment starting with '{prefix}'");
                    continue;
                }
                command = text[prefix.Length..].Trim();
            }
            return (new RuleMatch(i, rule, label, command), null);
        }
        return (null, reasons.Count == 0 ? $"No rule is for {(hook.Name.Length == 0 ? "an event without a name" : hook.Name)}." : $"No rule for {hook.Name} matched: {string.Join("; ", reasons)}.");
    }

    /// <summary>
    /// The template's parameters from the delivery: each expression evaluated, a value the payload
    /// lacks left out (so the template's default applies), numbers and booleans made text where the
    /// schema wants a string.
    /// </summary>
    public async Task<Dictionary<string, JsonElement>> ParametersAsync(RuleMatch match, HookEvent hook, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var template = await templates.FindAsync(match.Rule.TemplateId!, cancellationToken);
        var properties = template?.ParametersSchema.TryGetProperty("properties", out var p) == true && p.ValueKind == JsonValueKind.Object ? p : default;
        foreach (var (name, text) in match.Rule.Parameters ?? [])
        {
            if (PayloadExpression.Parse(text).Expression?.Evaluate(hook, match.Label, match.Command) is not { } value || value.ValueKind == JsonValueKind.Null)
                continue;
            var wanted = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Object
                && property.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            values[name] = wanted == "string" && value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? JsonSerializer.SerializeToElement(value.GetRawText(), TriggerJson.Default.String)
                : value.Clone();
        }
        return values;
    }

    private static IEnumerable<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)
            : [];

    private static bool IsShortText(string text) => text.Length <= MaxTextChars && !text.Any(char.IsControl);

    private static ApiProblem Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, message, field);
}

/// <summary>The rule a delivery matched (its index), and the label and command text that made it match.</summary>
internal sealed record RuleMatch(int Index, TriggerRuleDto Rule, string? Label, string? Command);
