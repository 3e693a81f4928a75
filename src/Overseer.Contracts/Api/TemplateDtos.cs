using System.Text.Json;

namespace Overseer.Contracts.Api;

/// <summary>
/// What a run of a template starts with unless the run says otherwise. <c>isolation</c> is
/// <c>worktree</c> or <c>none</c>; <c>budgetUsd</c> is each run's session budget.
/// </summary>
public sealed record TemplateDefaultsDto(string? Runtime = null, string? Model = null, string? Isolation = null, int? Priority = null, RetryPolicyDto? Retry = null, decimal? BudgetUsd = null);

/// <summary>
/// A reusable prompt. <c>prompt</c> holds <c>{{name}}</c> placeholders, each a property of
/// <c>parametersSchema</c> (a JSON Schema for an object). Built-in templates cannot be changed
/// or removed; copy one to make it yours.
/// </summary>
public sealed record TemplateDto(
    string Id,
    string Name,
    string Description,
    string Category,
    string Prompt,
    JsonElement ParametersSchema,
    TemplateDefaultsDto Defaults,
    bool BuiltIn,
    long UsageCount,
    DateTimeOffset? LastUsedAt,
    string? CreatedBy,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

/// <summary>
/// Creates or replaces a template. Without <c>parametersSchema</c>, each placeholder in the
/// prompt becomes a required string parameter.
/// </summary>
public sealed record SaveTemplateRequest(
    string? Name,
    string? Description,
    string? Category,
    string? Prompt,
    JsonElement? ParametersSchema,
    TemplateDefaultsDto? Defaults);

/// <summary>Copies a template (a built-in one, usually) under a new name.</summary>
public sealed record CopyTemplateRequest(string? Name);

/// <summary>
/// Starts a session from a template: <c>parameters</c> are checked against its schema, then
/// put into its prompt. The other fields override the template's defaults.
/// </summary>
public sealed record RunTemplateRequest(
    string? ProjectId,
    Dictionary<string, JsonElement>? Parameters,
    string? Runtime = null,
    string? Model = null,
    string? Isolation = null,
    int? Priority = null,
    JsonElement? Script = null,
    RetryPolicyDto? Retry = null,
    decimal? BudgetUsd = null);

/// <summary>The prompt a template gives for some parameters, without starting anything.</summary>
public sealed record RenderTemplateRequest(Dictionary<string, JsonElement>? Parameters);

public sealed record RenderedTemplateDto(string Prompt);
