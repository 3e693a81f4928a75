using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents;
using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Safety;

/// <summary>
/// The safety gate (DESIGN.md §5): GREEN and YELLOW run; ORANGE and RED wait for a person (RED
/// with a typed confirmation) unless a remembered allow rule matches; BLACK is refused at once,
/// whatever was remembered.
/// </summary>
public sealed class PolicyToolGate(PolicyEngine engine, AllowRules allowRules, IOptions<SafetyOptions> options) : IToolGate
{
    private readonly string _home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    public PolicyContext ContextFor(string projectPath) =>
        new(projectPath, options.Value.DataDirectory ?? "/nonexistent-overseer-data", _home);

    public async Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken)
    {
        var tool = request.Tool;
        var verdict = engine.Evaluate(tool.Name, tool.Input, ContextFor(request.ProjectPath));
        var tier = verdict.Tier.ToWire();
        switch (verdict.Tier)
        {
            case Tier.Black:
                return new ToolDecision(false, $"Blocked ({tier}): {verdict.Reason}", tier, verdict.Rule);
            case Tier.Green or Tier.Yellow:
                return new ToolDecision(true, verdict.Reason, tier, verdict.Rule);
        }
        if (await allowRules.FindAsync(request.SessionId, request.ProjectId, tool.Name, tool.Input, cancellationToken) is { } remembered)
            return new ToolDecision(true, $"{verdict.Reason} (allowed by remembered rule {remembered.Id})", tier, "remembered:" + remembered.Id);
        return new ToolDecision(false, verdict.Reason, tier, verdict.Rule, NeedsApproval: true,
            ConfirmPhrase: verdict.Tier == Tier.Red ? ConfirmPhrase(tool.Name, tool.Input) : null);
    }

    /// <summary>What a person types to approve a RED call: the command's first words, or the tool's name.</summary>
    public static string ConfirmPhrase(string tool, JsonElement input)
    {
        if (tool == "Bash" && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String)
        {
            var words = command.GetString()!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(3);
            var phrase = string.Join(' ', words);
            if (phrase.Length > 0)
                return "run " + (phrase.Length > 60 ? phrase[..60] : phrase);
        }
        return "allow " + tool;
    }
}
