using System.Text.Json;
using Overseer.Contracts;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliTemplateTests(CliFixture fixture)
{
    [Fact]
    public async Task Template_AddShowRunWithTypedParameters_ThenRemove()
    {
        var name = "bump-" + Guid.NewGuid().ToString("N")[..6];
        var schema = fixture.Script("""
            {"type": "object", "properties": {
               "package": {"type": "string", "description": "what to bump"},
               "major": {"type": "integer", "minimum": 1}},
             "required": ["package", "major"]}
            """);
        var add = await fixture.Cli.RunAsync("template", "add", "--name", name, "--prompt", "Bump {{package}} to major version {{major}}.", "--schema-file", schema, "--category", "ops");
        add.ExitCode.ShouldBe(0, add.ToString());
        var id = add.Stdout.Trim();
        id.ShouldStartWith("tpl_");

        var show = await fixture.Cli.RunAsync("template", "show", name);
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Stdout.ShouldContain("package: string required — what to bump");
        show.Stdout.ShouldContain("Bump {{package}} to major version {{major}}.");
        (await fixture.Cli.RunAsync("template", "ls", "--category", "ops")).Stdout.ShouldContain(name);

        var dry = await fixture.Cli.RunAsync("template", "run", name, "-P", "package=left-pad", "-P", "major=3", "--dry-run");
        dry.ExitCode.ShouldBe(0, dry.ToString());
        dry.Stdout.ShouldBe("Bump left-pad to major version 3.\n");

        var wrong = await fixture.Cli.RunAsync("template", "run", name, "-P", "package=left-pad", "-P", "major=three", "--project", fixture.NewProjectDir());
        wrong.ExitCode.ShouldBe(1, wrong.ToString());
        wrong.Stderr.ShouldContain("Parameter 'major'");
        wrong.Stderr.ShouldContain("(INVALID_PARAMETER)");

        var dir = fixture.NewProjectDir();
        var run = await fixture.Cli.RunAsync("template", "run", id, "-P", "package=left-pad", "-P", "major=3", "--project", dir, "--runtime", "scripted");
        run.ExitCode.ShouldBe(0, run.ToString());
        var session = await fixture.Client.GetSessionAsync(run.Stdout.Trim());
        session.Prompt.ShouldBe("Bump left-pad to major version 3.");
        session.TemplateId.ShouldBe(id);

        var list = await fixture.Cli.RunAsync("template", "ls", "--json");
        JsonSerializer.Deserialize(list.Stdout, OverseerJson.Default.ListResponseTemplateDto)!.Items.Single(t => t.Id == id).UsageCount.ShouldBe(1);

        (await fixture.Cli.RunAsync("template", "rm", name)).ExitCode.ShouldBe(0);
        (await fixture.Cli.RunAsync("template", "show", id)).ExitCode.ShouldBe(4);
    }

    [Fact]
    public async Task BuiltIn_CannotBeRemoved_ButCanBeCopied()
    {
        var rm = await fixture.Cli.RunAsync("template", "rm", "builtin-write-tests");
        rm.ExitCode.ShouldBe(1, rm.ToString());
        rm.Stderr.ShouldContain("copy it");

        var copyName = "tests-" + Guid.NewGuid().ToString("N")[..6];
        var copy = await fixture.Cli.RunAsync("template", "copy", "Write tests for a file", "--name", copyName);
        copy.ExitCode.ShouldBe(0, copy.ToString());
        var show = await fixture.Cli.RunAsync("template", "show", copyName);
        show.Stdout.ShouldContain("Defaults: isolation worktree");
    }
}
