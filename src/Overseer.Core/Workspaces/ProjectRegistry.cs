using Microsoft.Extensions.Options;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.Text;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Workspaces;

/// <summary>Adds and removes projects: directories agents may work in.</summary>
public sealed class ProjectRegistry(IEventStore store, IReadModel readModel, IOptions<ProjectOptions> options)
{
    // Validation and the append must not interleave, or two requests could add nested projects.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task<ProjectResult> CreateAsync(string? path, string? name, string by, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
            return ProjectResult.Fail(ErrorCodes.InvalidPath, "path is required.");
        if (!Path.IsPathFullyQualified(path))
            return ProjectResult.Fail(ErrorCodes.InvalidPath, $"path must be absolute: '{path}'.");
        if (name is not null && (string.IsNullOrWhiteSpace(name) || name.Length > 200))
            return ProjectResult.Fail(ErrorCodes.InvalidField, "name must be 1–200 characters.", "name");
        if (name is not null && NameText.Problem(name, "name") is { } badName)
            return ProjectResult.Fail(ErrorCodes.InvalidField, badName, "name");

        string canonical;
        try
        {
            canonical = PathResolver.Resolve(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return ProjectResult.Fail(ErrorCodes.InvalidPath, $"path cannot be resolved: {ex.Message}");
        }
        if (File.Exists(canonical))
            return ProjectResult.Fail(ErrorCodes.InvalidPath, $"path is a file, not a directory: '{path}'.");
        if (!Directory.Exists(canonical))
            return ProjectResult.Fail(ErrorCodes.InvalidPath, $"path does not exist: '{path}'.");
        // The database, the vault key and the admin token live there: an agent working in it
        // (or above it) could read or rewrite them. Inside it is refused first, so a detour such
        // as "projects/../data" is named for what it is; containing it only once the path is
        // under an allowed root, so "/" stays an INVALID_PATH.
        var dataDir = options.Value.DataDirectory is { } data ? PathResolver.Resolve(data) : null;
        if (dataDir is not null && PathResolver.IsWithin(canonical, dataDir))
            return InDataDirectory(canonical, dataDir);
        if (name is null && NameText.Problem(DefaultName(canonical), "name") is { } badLeaf)
            return ProjectResult.Fail(ErrorCodes.InvalidField, $"{badLeaf} It comes from the directory's name; give the project a name.", "name");
        var roots = options.Value.EffectiveRoots().Select(PathResolver.Resolve).ToList();
        if (!roots.Any(root => PathResolver.IsWithin(canonical, root)))
            return ProjectResult.Fail(ErrorCodes.InvalidPath, $"path must lie under an allowed root ({string.Join(", ", roots)}).");
        if (dataDir is not null && PathResolver.IsWithin(dataDir, canonical))
            return InDataDirectory(canonical, dataDir);

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var existing in await readModel.ListProjectsAsync(cancellationToken))
            {
                if (string.Equals(existing.Path, canonical, StringComparison.Ordinal))
                    return ProjectResult.Fail(ErrorCodes.ProjectExists, $"A project already exists at '{canonical}' ({existing.Id}).", existing: existing);
                if (PathResolver.IsWithin(canonical, existing.Path))
                    return ProjectResult.Fail(ErrorCodes.ProjectNested, $"'{canonical}' lies inside project '{existing.Name}' ({existing.Path}).");
                if (PathResolver.IsWithin(existing.Path, canonical))
                    return ProjectResult.Fail(ErrorCodes.ProjectNested, $"'{canonical}' contains project '{existing.Name}' ({existing.Path}).");
            }
            var id = Ids.New("p");
            var projectName = name?.Trim() ?? DefaultName(canonical);
            var stored = await store.AppendAsync(
                [EventFactory.Create(null, EventTypes.ProjectCreated, by, new ProjectCreatedData(id, projectName, canonical), OverseerJson.Default.ProjectCreatedData)],
                cancellationToken);
            return new ProjectResult(new ProjectDto(id, projectName, canonical, stored[0].Ts), null, null, null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static ProjectResult InDataDirectory(string path, string dataDir) =>
        ProjectResult.Fail(ErrorCodes.ProjectInDataDirectory, $"'{path}' is, contains or lies inside Overseer's data directory ({dataDir}); agents must not see it. Choose a directory apart from it.");

    public async Task<ProjectResult> DeleteAsync(string id, string by, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var project = await readModel.GetProjectAsync(id, cancellationToken);
            if (project is null)
                return ProjectResult.Fail(ErrorCodes.ProjectNotFound, $"No project has id '{id}'.");
            var live = await readModel.CountLiveSessionsAsync(id, cancellationToken);
            if (live > 0)
                return ProjectResult.Fail(ErrorCodes.ProjectInUse, $"The project has {live} session(s) that have not ended; cancel or close them first (a draft is deleted: DELETE /api/sessions/{{id}}).");
            await store.AppendAsync(
                [EventFactory.Create(null, EventTypes.ProjectDeleted, by, new ProjectDeletedData(id), OverseerJson.Default.ProjectDeletedData)],
                cancellationToken);
            return new ProjectResult(project, null, null, null);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Changes a project's settings (absent ones stay) with a <c>project.updated</c> event; null when there is no such project.</summary>
    public async Task<ProjectDto?> UpdateAsync(string id, bool? operatorsMayApproveRed, string by, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (await readModel.GetProjectAsync(id, cancellationToken) is not { } project)
                return null;
            var updated = project with { OperatorsMayApproveRed = operatorsMayApproveRed ?? project.OperatorsMayApproveRed };
            if (updated != project)
            {
                await store.AppendAsync(
                    [EventFactory.Create(null, EventTypes.ProjectUpdated, by, new ProjectUpdatedData(id, updated.OperatorsMayApproveRed), OverseerJson.Default.ProjectUpdatedData)],
                    cancellationToken);
            }
            return updated;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static string DefaultName(string canonical) => Path.GetFileName(canonical) is { Length: > 0 } leaf ? leaf : canonical;
}

public sealed record ProjectResult(ProjectDto? Project, string? Code, string? Error, string? Field, ProjectDto? Existing = null)
{
    public static ProjectResult Fail(string code, string error, string field = "path", ProjectDto? existing = null) => new(null, code, error, field, existing);
}
