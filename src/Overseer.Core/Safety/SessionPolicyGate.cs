using System.Collections.Concurrent;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Storage;

namespace Overseer.Core.Safety;

/// <summary>
/// The gate as a session's own policy narrows it: a session created with the <c>read-only</c> gate
/// policy (a runbook's default) runs only GREEN calls unattended; a YELLOW call waits for a person
/// like an ORANGE one. Nothing here ever lets more through than the server's gate does. The policy
/// is read once per session from its <c>session.created</c> event, which is stored before the
/// session can make any call, so no call slips past it, after a restart too.
/// </summary>
internal sealed class SessionPolicyGate(IToolGate inner, IEventStore events) : IToolGate
{
    public const string ReadOnly = "read-only";
    private const int MaxRemembered = 10_000;
    private readonly ConcurrentDictionary<string, string> _policies = new(StringComparer.Ordinal);

    public async Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken)
    {
        var decision = await inner.DecideAsync(request, cancellationToken);
        if (!decision.Allowed || decision.Tier != "YELLOW" || await PolicyOfAsync(request.SessionId, cancellationToken) != ReadOnly)
            return decision;
        return decision with
        {
            Allowed = false,
            NeedsApproval = true,
            Reason = $"{decision.Reason} (a read-only session: changes wait for a person)",
        };
    }

    private async ValueTask<string> PolicyOfAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (_policies.TryGetValue(sessionId, out var known))
            return known;
        var first = await events.ReadSessionAsync(sessionId, 0, 1, cancellationToken);
        var policy = first.Count == 1 && first[0].Type == EventTypes.SessionCreated
            ? first[0].Data.Deserialize(OverseerJson.Default.SessionCreatedData)?.GatePolicy ?? ""
            : "";
        // Sessions without a policy of their own are the many: forgetting them now and then costs one read each.
        if (_policies.Count >= MaxRemembered)
            _policies.Clear();
        _policies[sessionId] = policy;
        return policy;
    }
}
