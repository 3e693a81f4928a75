using System.Net;
using Overseer.TestKit;
using static Overseer.Tests.Triggers.TriggerKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliTriggerTests(CliFixture fixture)
{
    [Fact]
    public async Task Trigger_AddShowsTheSecretOnce_ThenLsShowDeliveriesAndRm()
    {
        var template = await CreateTemplateAsync(fixture.Client);
        var dir = fixture.NewProjectDir();
        var name = "cli-hooks-" + Guid.NewGuid().ToString("N")[..6];
        var add = await fixture.Cli.RunAsync("trigger", "add", "--name", name, "--provider", "github", "--project", dir,
            "--event", "issues.opened", "--template", template, "-P", "number=event.number", "-P", "title=$.issue.title", "-P", "url=event.url",
            "--runtime", "scripted", "--no-comment");
        add.ExitCode.ShouldBe(0, add.ToString());
        var lines = add.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var id = lines[0];
        id.ShouldStartWith("trg_");
        lines[1].ShouldBe($"Hook URL: {fixture.Server.Address.ToString().TrimEnd('/')}/hooks/{id}");
        var secret = lines[2]["Secret:".Length..].Trim();
        secret.ShouldStartWith("whsec_");
        add.Stderr.ShouldContain("not shown again");

        (await fixture.Cli.RunAsync("trigger", "ls")).Stdout.ShouldContain(id);
        var show = await fixture.Cli.RunAsync("trigger", "show", name);
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Stdout.ShouldContain($"0. issues.opened → template {template} with number = event.number, title = $.issue.title, url = event.url");
        show.Stdout.ShouldContain("Posts nothing back");
        show.Stdout.ShouldNotContain(secret);

        using (var github = Anonymous(fixture.Server))
        {
            var (status, answer) = await SendAsync(github, GitHub(id, secret, IssueOpened));
            status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        }
        var deliveries = await fixture.Cli.RunAsync("trigger", "deliveries", id);
        deliveries.ExitCode.ShouldBe(0, deliveries.ToString());
        deliveries.Stdout.ShouldContain("issues.opened");
        deliveries.Stdout.ShouldContain("started (rule 0)");
        deliveries.Stdout.ShouldContain("s_");

        var bad = await fixture.Cli.RunAsync("trigger", "add", "--name", "x", "--provider", "github", "--project", dir, "--event", "issues.closed", "--template", template, "--no-comment");
        bad.ExitCode.ShouldBe(1, bad.ToString());
        bad.Stderr.ShouldContain("rules[0].event must be one of");

        (await fixture.Cli.RunAsync("trigger", "rm", id)).ExitCode.ShouldBe(0);
        (await fixture.Cli.RunAsync("trigger", "show", id)).ExitCode.ShouldBe(4);
    }
}
