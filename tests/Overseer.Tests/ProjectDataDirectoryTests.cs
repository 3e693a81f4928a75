using System.Net;
using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class ProjectDataDirectoryTests : ServerTest
{
    private string Parent => Path.GetDirectoryName(DataDir)!;

    // The parent of the data directory is an allowed root too, so "contains" is judged, not "outside every root".
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Projects:AllowedRoots:1"] = Parent };

    private async Task ShouldBeRefusedAsync(string path)
    {
        using var response = await Client.PostJsonAsync("/api/projects", JsonSerializer.Serialize(new { path }));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, path);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("PROJECT_IN_DATA_DIRECTORY", path);
        problem.GetProperty("field").GetString().ShouldBe("path");
        problem.GetProperty("detail").GetString()!.ShouldContain("data directory");
    }

    [Fact]
    public async Task Create_TheDataDirectoryByADetour_Answers400ProjectInDataDirectory() =>
        await ShouldBeRefusedAsync(Path.Combine(ProjectsRoot, "..", "data"));

    [Fact]
    public async Task Create_InsideTheDataDirectory_Answers400ProjectInDataDirectory() =>
        await ShouldBeRefusedAsync(Directory.CreateDirectory(Path.Combine(DataDir, "inner")).FullName);

    [Fact]
    public async Task Create_ADirectoryContainingTheDataDirectory_Answers400ProjectInDataDirectory() =>
        await ShouldBeRefusedAsync(Parent);

    [Fact]
    public async Task Create_SymlinkToTheDataDirectory_Answers400ProjectInDataDirectory()
    {
        var link = Path.Combine(ProjectsRoot, "innocent");
        Directory.CreateSymbolicLink(link, DataDir);

        await ShouldBeRefusedAsync(link);
        (await Client.GetStringAsync("/api/projects")).ShouldNotContain("innocent");
    }

    [Fact]
    public async Task Create_BesideTheDataDirectory_StillWorks()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir("beside"));

        project.Path.ShouldEndWith("beside");
    }
}
