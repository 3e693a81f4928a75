using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliScheduleTests(CliFixture fixture)
{
    [Fact]
    public async Task Run_WithRetry_AFailingSessionBecomesThreeLinkedAttempts_ShownByShow()
    {
        var script = fixture.Script("""[{"fail": "the build broke"}]""");
        var run = await fixture.Cli.RunAsync("run", "Upgrade the deps.", "--project", fixture.NewProjectDir(), "--script", script, "--retry", "3", "--retry-delay", "0");
        run.ExitCode.ShouldBe(0, run.ToString());
        var first = run.Stdout.Trim();

        var chain = await Poll.UntilAsync(() => fixture.Client.GetSessionAsync(first), s => s.Retry!.Attempts!.Count == 3 && s.Retry.Attempts.All(a => a.Status == SessionStatus.Failed),
            TimeSpan.FromSeconds(30), "three failed attempts");
        var last = chain.Retry!.Attempts![2].Id;
        var show = await fixture.Cli.RunAsync("show", last);
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Stdout.ShouldContain($"attempt:    3 of 3, previous {chain.Retry.Attempts[1].Id}");
        show.Stdout.ShouldContain($"1. {first} failed");
        show.Stdout.ShouldContain($"3. {last} failed");

        var wrong = await fixture.Cli.RunAsync("run", "x", "--project", fixture.NewProjectDir(), "--script", script, "--retry", "11");
        wrong.ExitCode.ShouldBe(1, wrong.ToString());
        wrong.Stderr.ShouldContain("retry.maxAttempts");
    }

    [Fact]
    public async Task Schedule_AddShowRunRuns_ThenDisableAndRemove()
    {
        var name = "nightly-" + Guid.NewGuid().ToString("N")[..6];
        var template = await fixture.Cli.RunAsync("template", "add", "--name", "tpl-" + name, "--prompt", "Upgrade {{package}}.", "--runtime", "scripted");
        template.ExitCode.ShouldBe(0, template.ToString());
        var dir = fixture.NewProjectDir();

        var bad = await fixture.Cli.RunAsync("schedule", "add", "--name", name, "--template", "tpl-" + name, "-P", "package=left-pad", "--cron", "30 2 * *", "--tz", "Europe/Berlin", "--project", dir);
        bad.ExitCode.ShouldBe(1, bad.ToString());
        bad.Stderr.ShouldContain("cron must have 5 fields");

        var add = await fixture.Cli.RunAsync("schedule", "add", "--name", name, "--template", "tpl-" + name, "-P", "package=left-pad", "--cron", "30 2 * * *", "--tz", "Europe/Berlin",
            "--project", dir, "--overlap", "queue", "--retry", "2");
        add.ExitCode.ShouldBe(0, add.ToString());
        var id = add.Stdout.Trim();
        id.ShouldStartWith("sch_");

        var show = await fixture.Cli.RunAsync("schedule", "show", name);
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Stdout.ShouldContain("30 2 * * * in Europe/Berlin");
        show.Stdout.ShouldContain("missed run_once, overlap queue");
        show.Stdout.ShouldContain("up to 2 attempts");
        show.Stdout.ShouldContain(" 02:30:00 +0");
        (await fixture.Cli.RunAsync("schedule", "ls")).Stdout.ShouldContain(name);

        var run = await fixture.Cli.RunAsync("schedule", "run", name);
        run.ExitCode.ShouldBe(0, run.ToString());
        var session = await fixture.Client.GetSessionAsync(run.Stdout.Trim());
        session.Prompt.ShouldBe("Upgrade left-pad.");
        session.ScheduleId.ShouldBe(id);
        session.Retry!.Policy.MaxAttempts.ShouldBe(2);

        var runs = await fixture.Cli.RunAsync("schedule", "runs", id, "--json");
        runs.ExitCode.ShouldBe(0, runs.ToString());
        var listed = JsonSerializer.Deserialize(runs.Stdout, OverseerJson.Default.IReadOnlyListScheduleRunDto)!.ShouldHaveSingleItem();
        (listed.Trigger, listed.SessionId).ShouldBe(("manual", session.Id));
        (await fixture.Cli.RunAsync("schedule", "runs", id)).Stdout.ShouldContain("manual");

        (await fixture.Cli.RunAsync("schedule", "disable", name)).Stdout.ShouldContain("disabled");
        (await fixture.Cli.RunAsync("schedule", "rm", id)).ExitCode.ShouldBe(0);
        (await fixture.Cli.RunAsync("schedule", "show", id)).ExitCode.ShouldBe(4);
    }
}
