namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliNotifyTests(CliFixture fixture)
{
    [Fact]
    public async Task Notify_AddWebhookListRemove_RoundTrip_AndBadInputNamesTheField()
    {
        var add = await fixture.Cli.RunAsync("notify", "add", "webhook", "--url", "https://hooks.example/overseer", "--name", "team hook", "--kinds", "approval,question", "--quiet", "22:00-07:00");
        add.ExitCode.ShouldBe(0, add.ToString());
        var lines = add.Stdout.Trim().Split('\n');
        var id = lines[0];
        id.ShouldStartWith("ch_");
        lines[1].ShouldStartWith("secret: whsec_");

        var ls = await fixture.Cli.RunAsync("notify", "ls");
        ls.Stdout.ShouldContain(id);
        ls.Stdout.ShouldContain("team hook");
        ls.Stdout.ShouldContain("approval,question");
        ls.Stdout.ShouldNotContain("whsec_");

        var bad = await fixture.Cli.RunAsync("notify", "add", "ntfy", "--topic", "has space");
        bad.ExitCode.ShouldBe(1, bad.ToString());
        bad.Stderr.ShouldContain("target.topic");

        (await fixture.Cli.RunAsync("notify", "rm", id)).ExitCode.ShouldBe(0);
        (await fixture.Cli.RunAsync("notify", "ls")).Stdout.ShouldNotContain(id);
        (await fixture.Cli.RunAsync("notify", "sent", "--status", "dead")).ExitCode.ShouldBe(0);
    }
}
