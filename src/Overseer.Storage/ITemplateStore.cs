namespace Overseer.Storage;

/// <summary>The templates people wrote (the built-in ones live in code), and how often each template was run.</summary>
public interface ITemplateStore
{
    Task<IReadOnlyList<TemplateRecord>> ListAsync(CancellationToken cancellationToken = default);
    Task<TemplateRecord?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Adds a template; false when its name is taken (case-insensitively).</summary>
    Task<bool> AddAsync(TemplateRecord template, CancellationToken cancellationToken = default);

    /// <summary>Replaces a template's content; null when there is none with that id, false when the new name is taken.</summary>
    Task<bool?> UpdateAsync(TemplateRecord template, CancellationToken cancellationToken = default);

    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Counts one run of a template (built-in or not).</summary>
    Task RecordUseAsync(string templateId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Runs so far, by template id.</summary>
    Task<IReadOnlyDictionary<string, TemplateUsage>> UsageAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// A template as stored: <paramref name="ParametersSchema"/> and <paramref name="Defaults"/> are
/// JSON text, validated before they are stored.
/// </summary>
public sealed record TemplateRecord(
    string Id,
    string Name,
    string Description,
    string Category,
    string Prompt,
    string? ParametersSchema,
    string Defaults,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record TemplateUsage(long Count, DateTimeOffset LastUsedAt);
