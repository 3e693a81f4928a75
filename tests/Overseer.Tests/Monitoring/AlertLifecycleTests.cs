using System.Text.Json;
using Overseer.TestKit;
using Overseer.TestKit.Monitoring;
using Overseer.TestKit.Notifications;
using Overseer.Tests.Notifications;

namespace Overseer.Tests.Monitoring;

/// <summary>
/// A real service on a loopback port watched by an HTTP check on the critical tier (half a second
/// here): stopped, the alert is raised within one interval plus one check and notified; started
/// again, it resolves and that is notified too. A flapping service raises once and holds.
/// </summary>
public sealed class AlertLifecycleTests : ServerTest
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private WebhookReceiver _receiver = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Monitoring:Tiers:Critical"] = "00:00:00.500",
        ["Notifications:BatchWindow"] = "00:00:00",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await Client.CreateChannelAsync("webhook", new { url = _receiver.Url.ToString() }, new { kinds = new[] { "alert" } });
        _receiver.Secret = secret!;
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task HttpCheck_ServiceStopsAndStarts_AlertIsRaisedWithinItsIntervalPlusOneCheck_NotifiedThenResolved()
    {
        await using var service = await WatchedService.StartAsync();
        var check = await Client.PostOkAsync("/api/checks", new { name = "web", kind = "http", tier = "critical", target = service.Url.ToString(), contains = "healthy" });
        check.GetProperty("intervalSeconds").GetDouble().ShouldBe(0.5);
        await Client.PostOkAsync("/api/alert-rules", new { name = "web down", check = "web", when = "down", severity = "critical" });
        var up = await Client.WaitForCheckAsync("web", "ok");
        up.GetProperty("value").GetDouble().ShouldBeGreaterThan(0); // latency in ms
        up.GetProperty("unit").GetString().ShouldBe("ms");

        await service.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var raised = await Client.WaitForAlertAsync("web-down", "firing");
        // One interval (with its jitter) until the next run, plus that one check (its timeout at most).
        var timeout = TimeSpan.FromSeconds(check.GetProperty("definition").GetProperty("timeoutSeconds").GetDouble());
        (raised.GetProperty("raisedAt").GetDateTimeOffset() - stoppedAt).ShouldBeLessThan(Interval * 1.05 + timeout + TimeSpan.FromMilliseconds(250));
        raised.GetProperty("severity").GetString().ShouldBe("critical");
        raised.GetProperty("message").GetString()!.ShouldStartWith("web is down: ");
        (await Client.CheckAsync("web")).GetProperty("status").GetString().ShouldBe("failing");

        var notified = (await _receiver.WaitForAsync(1)).Single().Item();
        notified.GetProperty("kind").GetString().ShouldBe("alert");
        notified.GetProperty("title").GetString().ShouldBe("CRITICAL alert: web down");
        notified.GetProperty("body").GetString()!.ShouldStartWith("web is down: ");
        notified.GetProperty("url").GetString().ShouldBe(new Uri(Server.Address, "/ops").ToString());

        await service.StartAgainAsync();
        var resolved = await Client.WaitForAlertAsync("web-down", "resolved");
        resolved.GetProperty("id").GetString().ShouldBe(raised.GetProperty("id").GetString());
        resolved.GetProperty("resolvedAt").GetDateTimeOffset().ShouldBeGreaterThan(raised.GetProperty("raisedAt").GetDateTimeOffset());
        var back = (await _receiver.WaitForAsync(2))[1].Item();
        back.GetProperty("title").GetString().ShouldBe("Resolved: web down");
        back.GetProperty("body").GetString()!.ShouldStartWith("web is back: HTTP 200");
        (await Client.AlertsAsync("firing")).ShouldBeEmpty();

        // The time series holds the results either side (averaged into buckets): failures and passes.
        var series = JsonDocument.Parse(await Client.GetStringAsync("/api/checks/web/series?hours=1")).RootElement.GetProperty("samples");
        series.EnumerateArray().ShouldContain(s => s.GetProperty("okRatio").GetDouble() < 1);
        series.EnumerateArray().ShouldContain(s => s.GetProperty("okRatio").GetDouble() > 0);
    }

    [Fact]
    public async Task HttpCheck_FlappingService_RaisesOnceAndHoldsUntilItSettles()
    {
        await using var service = await WatchedService.StartAsync();
        await Client.PostOkAsync("/api/checks", new { name = "flappy", kind = "http", tier = "critical", target = service.Url.ToString() });
        await Client.PostOkAsync("/api/alert-rules", new { name = "flappy down", check = "flappy", when = "down" });
        await Client.WaitForCheckAsync("flappy", "ok");

        service.Flapping = true;
        var from = service.Requests;
        await Poll.UntilAsync(() => Task.FromResult(service.Requests), n => n >= from + 14, TimeSpan.FromSeconds(30), "fourteen flapping answers");
        var alerts = (await Client.AlertsAsync()).Where(a => a.GetProperty("ruleId").GetString() == "flappy-down").ToList();
        // Up, down, up, down…: one alert, still firing (one good answer between bad ones never resolves it).
        alerts.Count.ShouldBe(1);
        alerts[0].GetProperty("status").GetString().ShouldBe("firing");
        (await _receiver.WaitForAsync(1)).Count.ShouldBe(1);

        service.Flapping = false;
        await Client.WaitForAlertAsync("flappy-down", "resolved", TimeSpan.FromSeconds(30));
        (await Client.AlertsAsync()).Count(a => a.GetProperty("ruleId").GetString() == "flappy-down").ShouldBe(1);
    }
}
