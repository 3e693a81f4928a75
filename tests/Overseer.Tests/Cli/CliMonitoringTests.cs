using Overseer.TestKit;
using Overseer.TestKit.Monitoring;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliMonitoringTests(CliFixture fixture)
{
    [Fact]
    public async Task ChecksAndAlerts_AddRunFailAckSilence_ThenRemoveResolves()
    {
        await using var service = await WatchedService.StartAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var check = "web-" + suffix;

        var bad = await fixture.Cli.RunAsync("checks", "add", check, "--kind", "http", "--target", "ftp://example.com");
        bad.ExitCode.ShouldBe(1, bad.ToString());
        bad.Stderr.ShouldContain("target must be an absolute http:// or https:// URL");

        var add = await fixture.Cli.RunAsync("checks", "add", check, "--kind", "http", "--target", service.Url.ToString(), "--tier", "critical", "--contains", "healthy");
        add.ExitCode.ShouldBe(0, add.ToString());
        add.Stdout.Trim().ShouldBe(check);
        add.Stderr.ShouldContain("Runs every 12 s (critical).");
        var run = await fixture.Cli.RunAsync("checks", "run", check);
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldStartWith("ok ");
        run.Stdout.ShouldContain("HTTP 200");

        var rule = await fixture.Cli.RunAsync("alerts", "rule-add", $"{check} down", "--check", check, "--when", "down", "--severity", "critical");
        rule.ExitCode.ShouldBe(0, rule.ToString());
        var ruleId = rule.Stdout.Trim();
        ruleId.ShouldBe($"{check}-down");
        (await fixture.Cli.RunAsync("alerts", "rules")).Stdout.ShouldContain(ruleId);

        await service.StopAsync();
        var failing = await fixture.Cli.RunAsync("checks", "run", check);
        failing.ExitCode.ShouldBe(1, failing.ToString());
        failing.Stdout.ShouldStartWith("failing ");
        var listed = await fixture.Cli.RunAsync("checks");
        listed.ExitCode.ShouldBe(1, "a failing check makes 'overseer checks' fail, for scripts");
        listed.Stdout.ShouldContain(check);

        var alerts = await Poll.UntilAsync(() => fixture.Cli.RunAsync("alerts", "--json"), r => r.Stdout.Contains(ruleId), what: "the alert in overseer alerts");
        var alertId = System.Text.Json.JsonDocument.Parse(alerts.Stdout).RootElement.EnumerateArray()
            .First(a => a.GetProperty("ruleId").GetString() == ruleId).GetProperty("id").GetString()!;
        var table = await fixture.Cli.RunAsync("alerts");
        table.Stdout.ShouldContain(alertId);
        table.Stdout.ShouldContain("firing");

        var ack = await fixture.Cli.RunAsync("alerts", "ack", alertId);
        ack.ExitCode.ShouldBe(0, ack.ToString());
        ack.Stdout.Trim().ShouldBe($"{alertId} acknowledged by admin");
        var badSilence = await fixture.Cli.RunAsync("alerts", "silence", alertId, "--for", "forever");
        badSilence.ExitCode.ShouldBe(1, badSilence.ToString());
        badSilence.Stderr.ShouldContain("30m, 2h or 1d");
        var silence = await fixture.Cli.RunAsync("alerts", "silence", alertId, "--for", "2h");
        silence.ExitCode.ShouldBe(0, silence.ToString());
        silence.Stdout.ShouldStartWith($"{alertId} silenced until ");
        (await fixture.Cli.RunAsync("alerts")).Stdout.ShouldContain("silenced by admin");

        (await fixture.Cli.RunAsync("alerts", "rule-rm", ruleId)).ExitCode.ShouldBe(0);
        (await fixture.Cli.RunAsync("checks", "rm", check)).ExitCode.ShouldBe(0);
        var resolved = await fixture.Cli.RunAsync("alerts", "--all", "--json");
        var mine = System.Text.Json.JsonDocument.Parse(resolved.Stdout).RootElement.EnumerateArray().Single(a => a.GetProperty("id").GetString() == alertId);
        mine.GetProperty("status").GetString().ShouldBe("resolved");
        (await fixture.Cli.RunAsync("checks")).Stdout.ShouldNotContain(check);
    }
}
