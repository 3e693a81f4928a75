using System.Text.Json;

namespace Overseer.Contracts.Api;

public sealed record ApprovalDto(
    string Id,
    string SessionId,
    string Tool,
    JsonElement Input,
    string Tier,
    string Reason,
    string Rule,
    string? ConfirmPhrase,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Decision,
    string? How,
    string? DecisionReason);

public sealed record ApproveRequest(string? Confirm, string? Remember);

/// <param name="Hibernate">Also hibernate the session (its process stops, its slot frees): offered once the approval has waited Sessions:HibernateAfter.</param>
public sealed record DenyRequest(string? Reason, bool Hibernate = false);

public sealed record AllowRuleDto(string Id, string Scope, string? SessionId, string? ProjectId, string Tool, string Shape, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record EvaluateRequest(string? Tool, JsonElement? Input, string? ProjectId);

public sealed record PolicyDecisionDto(string Tier, string Reason, string Rule);
