using System.Net;
using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class ProjectsApiTests : ServerTest
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> CreateAsync(string path)
    {
        using var response = await Client.PostJsonAsync("/api/projects", JsonSerializer.Serialize(new { path }));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task Create_ValidDirectory_Answers201WithProject()
    {
        var dir = NewProjectDir("alpha");
        var (status, body) = await CreateAsync(dir);
        status.ShouldBe(HttpStatusCode.Created);
        body.GetProperty("id").GetString()!.ShouldStartWith("p_");
        body.GetProperty("name").GetString().ShouldBe("alpha");
        body.GetProperty("path").GetString().ShouldBe(dir);
        body.TryGetProperty("createdAt", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Create_InvalidPaths_Answer400InvalidPath()
    {
        var file = Path.Combine(NewProjectDir(), "file.txt");
        await File.WriteAllTextAsync(file, "x");
        foreach (var path in new[] { "relative/dir", Path.Combine(ProjectsRoot, "missing"), file, "/", Path.GetTempPath(), "" })
        {
            var (status, body) = await CreateAsync(path);
            status.ShouldBe(HttpStatusCode.BadRequest, path);
            body.GetProperty("code").GetString().ShouldBe("INVALID_PATH", path);
        }
    }

    [Fact]
    public async Task Create_SymlinkOutOfAllowedRoot_Answers400InvalidPath()
    {
        var link = Path.Combine(ProjectsRoot, "escape");
        Directory.CreateSymbolicLink(link, "/usr");
        var (status, body) = await CreateAsync(link);
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.GetProperty("code").GetString().ShouldBe("INVALID_PATH");
    }

    [Fact]
    public async Task Create_NestedOrContaining_Answers409ProjectNested()
    {
        var outer = NewProjectDir("outer");
        var inner = Directory.CreateDirectory(Path.Combine(outer, "inner")).FullName;
        (await CreateAsync(inner)).Status.ShouldBe(HttpStatusCode.Created);
        var (status, body) = await CreateAsync(outer);
        status.ShouldBe(HttpStatusCode.Conflict);
        body.GetProperty("code").GetString().ShouldBe("PROJECT_NESTED");
        var deeper = Directory.CreateDirectory(Path.Combine(inner, "deeper")).FullName;
        (status, body) = await CreateAsync(deeper);
        status.ShouldBe(HttpStatusCode.Conflict);
        body.GetProperty("code").GetString().ShouldBe("PROJECT_NESTED");
    }

    [Fact]
    public async Task Create_SameDirectoryTwice_EvenThroughDotDotOrSymlink_Answers409ProjectExists()
    {
        var dir = NewProjectDir("same");
        (await CreateAsync(dir)).Status.ShouldBe(HttpStatusCode.Created);
        var link = Path.Combine(ProjectsRoot, "same-link");
        Directory.CreateSymbolicLink(link, dir);
        foreach (var alias in new[] { dir, dir + "/", Path.Combine(dir, "..", "same"), link })
        {
            var (status, body) = await CreateAsync(alias);
            status.ShouldBe(HttpStatusCode.Conflict, alias);
            body.GetProperty("code").GetString().ShouldBe("PROJECT_EXISTS", alias);
        }
    }

    [Fact]
    public async Task Create_ConcurrentSamePath_ExactlyOneSucceeds()
    {
        var dir = NewProjectDir();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CreateAsync(dir)));
        results.Count(r => r.Status == HttpStatusCode.Created).ShouldBe(1);
        results.Count(r => r.Status == HttpStatusCode.Conflict).ShouldBe(7);
    }

    [Fact]
    public async Task ListGetDelete_RoundTrip()
    {
        var a = await Client.CreateProjectAsync(NewProjectDir("a"));
        var b = await Client.CreateProjectAsync(NewProjectDir("b"), "Bee");
        var list = JsonDocument.Parse(await Client.GetStringAsync("/api/projects")).RootElement.GetProperty("items");
        list.EnumerateArray().Select(p => p.GetProperty("id").GetString()).ShouldBe([a.Id, b.Id], ignoreOrder: true);
        JsonDocument.Parse(await Client.GetStringAsync($"/api/projects/{b.Id}")).RootElement.GetProperty("name").GetString().ShouldBe("Bee");

        (await Client.DeleteAsync($"/api/projects/{a.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await Client.GetAsync($"/api/projects/{a.Id}");
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gone.ProblemAsync()).GetProperty("code").GetString().ShouldBe("PROJECT_NOT_FOUND");
        (await Client.DeleteAsync($"/api/projects/{a.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // The directory is free again.
        (await CreateAsync(a.Path)).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Delete_WithLiveSession_Answers409ProjectInUse()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"hi\"}]");
        await Client.WaitForStatusAsync(session.Id, Contracts.Events.SessionStatus.Idle);
        using var response = await Client.DeleteAsync($"/api/projects/{project.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("PROJECT_IN_USE");
    }
}
