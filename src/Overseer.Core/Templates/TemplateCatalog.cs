using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Templates;

/// <summary>
/// Templates, built-in and written by people: listing, saving, copying, and running one, which
/// checks the parameters against its schema and starts a session with the prompt they make.
/// </summary>
public sealed class TemplateCatalog(ITemplateStore store, SessionManager sessions, TimeProvider time)
{
    public const int MaxNameChars = 100;
    public const int MaxDescriptionChars = 2_000;
    public const int MaxCategoryChars = 50;
    public const int MaxPromptChars = 100_000;

    public async Task<IReadOnlyList<TemplateDto>> ListAsync(string? category, CancellationToken cancellationToken)
    {
        var usage = await store.UsageAsync(cancellationToken);
        var all = BuiltInTemplates.All.Select(b => ToDto(b, usage))
            .Concat((await store.ListAsync(cancellationToken)).Select(t => ToDto(t, usage)));
        if (!string.IsNullOrEmpty(category))
            all = all.Where(t => string.Equals(t.Category, category, StringComparison.OrdinalIgnoreCase));
        return all.OrderBy(t => t.Category, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<TemplateDto?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (BuiltInTemplates.Find(id) is { } builtIn)
            return ToDto(builtIn, await store.UsageAsync(cancellationToken));
        return await store.FindAsync(id, cancellationToken) is { } stored ? ToDto(stored, await store.UsageAsync(cancellationToken)) : null;
    }

    public async Task<TemplateOutcome> CreateAsync(SaveTemplateRequest request, string by, CancellationToken cancellationToken)
    {
        if (Check(request) is { } problem)
            return problem;
        var now = time.GetUtcNow();
        var record = ToRecord(Ids.New("tpl"), request, by, now, now);
        if (!await store.AddAsync(record, cancellationToken))
            return NameTaken(record.Name);
        return new TemplateOutcome(ToDto(record, new Dictionary<string, TemplateUsage>()));
    }

    public async Task<TemplateOutcome> UpdateAsync(string id, SaveTemplateRequest request, CancellationToken cancellationToken)
    {
        if (BuiltInTemplates.Find(id) is not null)
            return BuiltInIsReadOnly(id);
        var existing = await store.FindAsync(id, cancellationToken);
        if (existing is null)
            return TemplateOutcome.NotFound(id);
        if (Check(request) is { } problem)
            return problem;
        var record = ToRecord(id, request, existing.CreatedBy, existing.CreatedAt, time.GetUtcNow());
        return await store.UpdateAsync(record, cancellationToken) switch
        {
            true => new TemplateOutcome(ToDto(record, await store.UsageAsync(cancellationToken))),
            false => NameTaken(record.Name),
            null => TemplateOutcome.NotFound(id),
        };
    }

    public async Task<TemplateOutcome> CopyAsync(string id, string? name, string by, CancellationToken cancellationToken)
    {
        var source = await FindAsync(id, cancellationToken);
        if (source is null)
            return TemplateOutcome.NotFound(id);
        var copy = new SaveTemplateRequest(
            string.IsNullOrWhiteSpace(name) ? source.Name + " (copy)" : name,
            source.Description, source.Category, source.Prompt, source.ParametersSchema, source.Defaults);
        return await CreateAsync(copy, by, cancellationToken);
    }

    public async Task<TemplateOutcome> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (BuiltInTemplates.Find(id) is not null)
            return BuiltInIsReadOnly(id);
        return await store.RemoveAsync(id, cancellationToken) ? new TemplateOutcome(null) : TemplateOutcome.NotFound(id);
    }

    /// <summary>The prompt the parameters make, or why they do not fit the template.</summary>
    public async Task<(string? Prompt, TemplateOutcome? Failure)> RenderAsync(string id, IReadOnlyDictionary<string, JsonElement>? parameters, CancellationToken cancellationToken)
    {
        var template = await FindAsync(id, cancellationToken);
        if (template is null)
            return (null, TemplateOutcome.NotFound(id));
        return Render(template, parameters);
    }

    /// <summary>Starts a session from the template; the session records which template (and trigger, if any) it came from.</summary>
    /// <param name="links">The schedule run it is for, when a schedule runs it.</param>
    public async Task<(CreateSessionResult? Session, TemplateOutcome? Failure)> RunAsync(string id, RunTemplateRequest request, ActedBy by, CancellationToken cancellationToken,
        SessionLinks? links = null, TriggerOrigin? trigger = null)
    {
        var template = await FindAsync(id, cancellationToken);
        if (template is null)
            return (null, TemplateOutcome.NotFound(id));
        var (prompt, failure) = Render(template, request.Parameters);
        if (failure is not null)
            return (null, failure);
        var defaults = template.Defaults;
        var created = await sessions.CreateAsync(
            new CreateSessionRequest(request.ProjectId, prompt, request.Runtime ?? defaults.Runtime, request.Model ?? defaults.Model,
                request.Priority ?? defaults.Priority, request.Script, request.Isolation ?? defaults.Isolation, request.Retry ?? defaults.Retry,
                BudgetUsd: request.BudgetUsd ?? defaults.BudgetUsd),
            by, cancellationToken, template.Id, links, trigger);
        if (created.SessionId is not null)
            await store.RecordUseAsync(template.Id, time.GetUtcNow(), cancellationToken);
        return (created, null);
    }

    private static (string? Prompt, TemplateOutcome? Failure) Render(TemplateDto template, IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        var (compiled, schemaProblem) = TemplateParameters.Create(template.ParametersSchema, template.Prompt);
        if (compiled is null)
            return (null, TemplateOutcome.Fail(ErrorCodes.InvalidField, $"Template '{template.Name}' cannot run: {schemaProblem}", "parametersSchema"));
        var (values, problem) = compiled.Check(parameters);
        if (problem is not null)
            return (null, TemplateOutcome.Fail(ErrorCodes.InvalidParameter, problem.Message, problem.Name.Length == 0 ? "parameters" : "parameters." + problem.Name));
        return (TemplatePrompt.Render(template.Prompt, values!), null);
    }

    private TemplateOutcome? Check(SaveTemplateRequest request)
    {
        if (TextProblem(request.Name, "name", MaxNameChars, required: true) is { } name)
            return name;
        if (TextProblem(request.Description, "description", MaxDescriptionChars, required: false) is { } description)
            return description;
        if (TextProblem(request.Category, "category", MaxCategoryChars, required: false) is { } category)
            return category;
        if (string.IsNullOrWhiteSpace(request.Prompt))
            return TemplateOutcome.Fail(ErrorCodes.InvalidField, "prompt is required and must not be empty.", "prompt");
        if (request.Prompt.Length > MaxPromptChars)
            return TemplateOutcome.Fail(ErrorCodes.InvalidField, $"prompt may be at most {MaxPromptChars} characters.", "prompt");
        var (_, schemaProblem) = TemplateParameters.Create(request.ParametersSchema, request.Prompt);
        if (schemaProblem is not null)
            return TemplateOutcome.Fail(ErrorCodes.InvalidField, schemaProblem, "parametersSchema");
        if (request.Defaults is { } defaults)
        {
            if (defaults.Runtime is { } runtime && sessions.Runtimes.All(r => r.Name != runtime))
                return TemplateOutcome.Fail(ErrorCodes.UnknownRuntime, $"defaults.runtime '{runtime}' is not one of: {string.Join(", ", sessions.Runtimes.Select(r => r.Name).Order())}.", "defaults.runtime");
            if (defaults.Isolation is not (null or "none" or "worktree"))
                return TemplateOutcome.Fail(ErrorCodes.InvalidField, "defaults.isolation must be \"worktree\" or \"none\".", "defaults.isolation");
            if (defaults.Priority is < -100 or > 100)
                return TemplateOutcome.Fail(ErrorCodes.InvalidField, "defaults.priority must be between -100 and 100.", "defaults.priority");
            if (Retries.RetryPolicies.Problem(defaults.Retry, "defaults.retry") is { } retry)
                return TemplateOutcome.Fail(ErrorCodes.InvalidField, retry.Message, retry.Field);
            if (Budgets.BudgetCatalog.LimitProblem(defaults.BudgetUsd, "defaults.budgetUsd", required: false) is { } budget)
                return TemplateOutcome.Fail(budget.Code!, budget.Message!, budget.Field);
        }
        return null;
    }

    private static TemplateOutcome? TextProblem(string? value, string field, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? TemplateOutcome.Fail(ErrorCodes.InvalidField, $"{field} is required and must not be empty.", field) : null;
        if (value.Length > max)
            return TemplateOutcome.Fail(ErrorCodes.InvalidField, $"{field} may be at most {max} characters.", field);
        if (value.Any(char.IsControl))
            return TemplateOutcome.Fail(ErrorCodes.InvalidField, $"{field} must be one line of text, without control characters.", field);
        return null;
    }

    private static TemplateOutcome NameTaken(string name) =>
        TemplateOutcome.Fail(ErrorCodes.TemplateExists, $"A template is already named '{name}'.", "name");

    private static TemplateOutcome BuiltInIsReadOnly(string id) =>
        TemplateOutcome.Fail(ErrorCodes.TemplateBuiltIn, $"'{id}' is built in and cannot be changed or removed; copy it (POST /api/templates/{id}/copy) and change the copy.");

    private static TemplateRecord ToRecord(string id, SaveTemplateRequest r, string by, DateTimeOffset created, DateTimeOffset updated) => new(
        id, r.Name!.Trim(), r.Description?.Trim() ?? "", string.IsNullOrWhiteSpace(r.Category) ? "general" : r.Category.Trim(), r.Prompt!,
        r.ParametersSchema is { ValueKind: not JsonValueKind.Null } schema ? schema.GetRawText() : null,
        JsonSerializer.Serialize(r.Defaults ?? new TemplateDefaultsDto(), OverseerJson.Default.TemplateDefaultsDto),
        by, created, updated);

    private static TemplateDto ToDto(TemplateRecord t, IReadOnlyDictionary<string, TemplateUsage> usage)
    {
        var schema = t.ParametersSchema is { } text
            ? JsonDocument.Parse(text).RootElement.Clone()
            : TemplatePrompt.DerivedSchema(TemplatePrompt.Placeholders(t.Prompt));
        var used = usage.GetValueOrDefault(t.Id);
        return new TemplateDto(t.Id, t.Name, t.Description, t.Category, t.Prompt, schema,
            JsonSerializer.Deserialize(t.Defaults, OverseerJson.Default.TemplateDefaultsDto) ?? new TemplateDefaultsDto(),
            BuiltIn: false, used?.Count ?? 0, used?.LastUsedAt, t.CreatedBy, t.CreatedAt, t.UpdatedAt);
    }

    private static TemplateDto ToDto(BuiltInTemplate b, IReadOnlyDictionary<string, TemplateUsage> usage)
    {
        var used = usage.GetValueOrDefault(b.Id);
        return new TemplateDto(b.Id, b.Name, b.Description, b.Category, b.Prompt.Trim(), JsonDocument.Parse(b.ParametersSchema).RootElement.Clone(),
            new TemplateDefaultsDto(Isolation: b.Isolation), BuiltIn: true, used?.Count ?? 0, used?.LastUsedAt, null, null, null);
    }
}
