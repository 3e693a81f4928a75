using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Safety;

/// <summary>
/// Allow rules people added with "remember": the exact shape of one tool call (a Bash command
/// as written, or a tool with its exact input), for one session or one project. Kept in memory,
/// rebuilt from the store, changed only through <c>policy.changed</c> events.
/// </summary>
public sealed class AllowRules(IEventStore store, IReadModel readModel)
{
    private readonly SemaphoreSlim _load = new(1, 1);
    private volatile IReadOnlyList<AllowRuleDto>? _rules;

    /// <summary>The shape a rule matches: the command for Bash, otherwise the tool's input as JSON.</summary>
    public static string ShapeOf(string tool, JsonElement input) =>
        tool == "Bash" && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String
            ? command.GetString()!.Trim()
            : input.GetRawText();

    public async Task<IReadOnlyList<AllowRuleDto>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (_rules is { } loaded)
            return loaded;
        await _load.WaitAsync(cancellationToken);
        try
        {
            return _rules ??= await readModel.ListAllowRulesAsync(cancellationToken);
        }
        finally
        {
            _load.Release();
        }
    }

    public async Task<AllowRuleDto?> FindAsync(string sessionId, string projectId, string tool, JsonElement input, CancellationToken cancellationToken)
    {
        var shape = ShapeOf(tool, input);
        return (await ListAsync(cancellationToken)).FirstOrDefault(rule =>
            rule.Tool == tool && rule.Shape == shape &&
            (rule.Scope == "session" ? rule.SessionId == sessionId : rule.ProjectId == projectId));
    }

    public async Task<AllowRuleDto> AddAsync(string scope, string sessionId, string projectId, string tool, JsonElement input, ActedBy by, CancellationToken cancellationToken)
    {
        var id = Ids.New("rule");
        var shape = ShapeOf(tool, input);
        var data = new PolicyChangedData(id, "added", scope, scope == "session" ? sessionId : null, projectId, tool, shape, by.Name, by.UserId, by.TokenId);
        var stored = await store.AppendAsync([EventFactory.Create(scope == "session" ? sessionId : null, EventTypes.PolicyChanged, by.Name, data, OverseerJson.Default.PolicyChangedData)], cancellationToken);
        var rule = new AllowRuleDto(id, scope, data.SessionId, projectId, tool, shape, by.Name, stored[0].Ts);
        await ChangeAsync(rules => [.. rules, rule], cancellationToken);
        return rule;
    }

    public async Task<bool> RevokeAsync(string id, ActedBy by, CancellationToken cancellationToken)
    {
        var rule = (await ListAsync(cancellationToken)).FirstOrDefault(r => r.Id == id);
        if (rule is null)
            return false;
        var data = new PolicyChangedData(id, "revoked", rule.Scope, rule.SessionId, rule.ProjectId, rule.Tool, rule.Shape, by.Name, by.UserId, by.TokenId);
        await store.AppendAsync([EventFactory.Create(rule.SessionId, EventTypes.PolicyChanged, by.Name, data, OverseerJson.Default.PolicyChangedData)], cancellationToken);
        await ChangeAsync(rules => rules.Where(r => r.Id != id).ToList(), cancellationToken);
        return true;
    }

    private async Task ChangeAsync(Func<IReadOnlyList<AllowRuleDto>, IReadOnlyList<AllowRuleDto>> change, CancellationToken cancellationToken)
    {
        var current = await ListAsync(cancellationToken);
        await _load.WaitAsync(cancellationToken);
        try
        {
            _rules = change(_rules ?? current);
        }
        finally
        {
            _load.Release();
        }
    }
}
