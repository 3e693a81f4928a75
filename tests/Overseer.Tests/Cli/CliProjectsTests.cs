using System.Text.Json;
using Overseer.Contracts;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliProjectsTests(CliFixture fixture)
{
    [Fact]
    public async Task Projects_AddListByNameRemove_RoundTrip()
    {
        var dir = fixture.NewProjectDir();
        var name = "shop-" + Path.GetFileName(dir);

        var add = await fixture.Cli.RunAsync("projects", "add", dir, "--name", name);
        add.ExitCode.ShouldBe(0, add.ToString());
        var id = add.Stdout.Trim();
        id.ShouldStartWith("p_");

        var list = await fixture.Cli.RunAsync("projects", "ls", "--json");
        JsonSerializer.Deserialize(list.Stdout, OverseerJson.Default.IReadOnlyListProjectDto)!.ShouldContain(p => p.Id == id && p.Path == dir && p.Name == name);
        (await fixture.Cli.RunAsync("projects", "ls")).Stdout.ShouldContain(name);

        var again = await fixture.Cli.RunAsync("projects", "add", dir);
        again.ExitCode.ShouldBe(1, again.ToString());
        again.Stderr.ShouldContain("(PROJECT_EXISTS)");

        (await fixture.Cli.RunAsync("projects", "rm", name)).ExitCode.ShouldBe(0);
        var gone = await fixture.Cli.RunAsync("projects", "rm", id);
        gone.ExitCode.ShouldBe(4, gone.ToString());
        gone.Stderr.ShouldBe($"overseer: project '{id}' not found\n");
    }

    [Fact]
    public async Task Run_InADirectoryInsideAProject_UsesThatProject()
    {
        var dir = fixture.NewProjectDir();
        var project = (await fixture.Cli.RunAsync("projects", "add", dir)).Stdout.Trim();
        var inside = Directory.CreateDirectory(Path.Combine(dir, "src")).FullName;

        var run = await fixture.Cli.RunAsync("run", "hello", "--project", inside, "--script", fixture.Script("""[{"say": "hi"}]"""));

        run.ExitCode.ShouldBe(0, run.ToString());
        var sessions = await fixture.Cli.RunAsync("ls", "--project", dir, "--json");
        JsonSerializer.Deserialize(sessions.Stdout, OverseerJson.Default.IReadOnlyListSessionDto)!
            .ShouldHaveSingleItem().ShouldSatisfyAllConditions(s => s.Id.ShouldBe(run.Stdout.Trim()), s => s.ProjectId.ShouldBe(project));
    }
}
