using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Api;
using Overseer.Core.Workspaces;
using Overseer.Storage;
using Overseer.Storage.Sqlite;

namespace Overseer.Core.Tests;

public sealed class ProjectRegistryTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private SqliteEventStore _store = null!;
    private SqliteReadModel _readModel = null!;
    private ProjectRegistry _registry = null!;
    private string _root = null!;

    public async Task InitializeAsync()
    {
        var database = new SqliteDatabase(Path.Combine(_temp.Path, "overseer.db"));
        _store = new SqliteEventStore(database, [], NullLogger<SqliteEventStore>.Instance, new StorageOptions());
        await _store.InitializeAsync();
        _readModel = new SqliteReadModel(database);
        _root = _temp.Create("root");
        _registry = new ProjectRegistry(_store, _readModel, Options.Create(new ProjectOptions { AllowedRoots = [_root] }));
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private Task<ProjectResult> CreateAsync(string path, string? name = null) => _registry.CreateAsync(path, name, "tester", CancellationToken.None);

    [Fact]
    public async Task CreateAsync_DirectoryUnderAnAllowedRoot_IsStoredWithItsCanonicalPath()
    {
        var dir = _temp.Create("root/app");

        var result = await CreateAsync(Path.Combine(_root, "other", "..", "app") + "/");

        result.Error.ShouldBeNull();
        var project = result.Project.ShouldNotBeNull();
        project.Path.ShouldBe(PathResolver.Resolve(dir));
        project.Name.ShouldBe("app");
        (await _readModel.GetProjectAsync(project.Id)).ShouldBe(project);
    }

    [Fact]
    public async Task CreateAsync_SamePathTwice_SaysTheProjectExists()
    {
        var dir = _temp.Create("root/app");
        var first = await CreateAsync(dir, "App");

        var second = await CreateAsync(dir);

        second.Code.ShouldBe(ErrorCodes.ProjectExists);
        second.Existing.ShouldBe(first.Project);
    }

    [Fact]
    public async Task CreateAsync_InsideOrAroundAnotherProject_IsNested()
    {
        var dir = _temp.Create("root/app/sub");
        (await CreateAsync(Path.Combine(_root, "app"))).Error.ShouldBeNull();

        (await CreateAsync(dir)).Code.ShouldBe(ErrorCodes.ProjectNested);
        (await CreateAsync(_root)).Code.ShouldBe(ErrorCodes.ProjectNested);
    }

    [Fact]
    public async Task CreateAsync_SiblingWhoseNameStartsTheSame_IsNotNested()
    {
        _temp.Create("root/app");
        _temp.Create("root/app-two");
        (await CreateAsync(Path.Combine(_root, "app"))).Error.ShouldBeNull();

        (await CreateAsync(Path.Combine(_root, "app-two"))).Error.ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_InvalidPaths_AreRefusedAsInvalidPath()
    {
        var outside = _temp.Create("outside");
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), outside);
        File.WriteAllText(Path.Combine(_root, "file.txt"), "not a directory");

        ProjectResult[] results =
        [
            await CreateAsync(""),
            await CreateAsync("relative/path"),
            await CreateAsync(outside),
            await CreateAsync(Path.Combine(_root, "escape")),
            await CreateAsync(Path.Combine(_root, "missing")),
            await CreateAsync(Path.Combine(_root, "file.txt")),
            await CreateAsync(Path.Combine(_root, "..", "outside")),
        ];

        results.ShouldAllBe(r => r.Code == ErrorCodes.InvalidPath && r.Project == null);
        (await _readModel.ListProjectsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task DeleteAsync_ProjectWithoutSessions_RemovesItAndThePathCanBeAddedAgain()
    {
        var dir = _temp.Create("root/app");
        var created = (await CreateAsync(dir)).Project.ShouldNotBeNull();

        var deleted = await _registry.DeleteAsync(created.Id, "tester", CancellationToken.None);

        deleted.Error.ShouldBeNull();
        (await _readModel.GetProjectAsync(created.Id)).ShouldBeNull();
        (await CreateAsync(dir)).Error.ShouldBeNull();
        (await _registry.DeleteAsync("p_missing", "tester", CancellationToken.None)).Code.ShouldBe(ErrorCodes.ProjectNotFound);
    }
}
