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

public sealed record DenyRequest(string? Reason);

public sealed record AllowRuleDto(string Id, string Scope, string? SessionId, string? ProjectId, string Tool, string Shape, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record EvaluateRequest(string? Tool, JsonElement? Input, string? ProjectId);

public sealed record PolicyDecisionDto(string Tier, string Reason, string Rule);
