using System.Net;
using Microsoft.Extensions.Options;
using Overseer.Telemetry;

namespace Overseer.Tests.Telemetry;

/// <summary>The scrape endpoint's own protection: an allow-list of networks, a token, or both.</summary>
public sealed class MetricsAccessTests : ServerTest
{
    // This class's server lets loopback scrape without a token.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Telemetry:Metrics:Enabled"] = "true",
        ["Telemetry:Metrics:AllowFrom:0"] = "127.0.0.0/8",
        ["Telemetry:Metrics:AllowFrom:1"] = "::1/128",
    };

    [Fact]
    public async Task Metrics_FromAnAllowedNetwork_NeedNoToken()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        using var response = await anonymous.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        // Not parsed strictly here: other test classes' servers in this process publish gauges of the
        // same names to this server's listener (MetricsEndpointTests parses a server process of its own).
        text.ShouldContain("# TYPE overseer_queue_depth gauge");
    }

    [Theory]
    [InlineData("10.1.2.3", null, null)]
    [InlineData("::ffff:10.1.2.3", null, null)]
    [InlineData("192.168.1.9", null, 403)]
    [InlineData("10.1.2.3", "Bearer wrong-token-wrong-token", null)]
    public void Check_AllowListOnly_DecidesByAddress(string remote, string? authorization, int? refused) =>
        StatusOf(Access(allowFrom: ["10.0.0.0/8"], token: null).Check(IPAddress.Parse(remote), authorization)).ShouldBe(refused);

    [Theory]
    [InlineData("10.1.2.3", "Bearer metrics-token-0123456789", null)]
    [InlineData("10.1.2.3", "bearer metrics-token-0123456789", null)]
    [InlineData("10.1.2.3", null, 401)]
    [InlineData("10.1.2.3", "Bearer metrics-token-012345678", 401)]
    [InlineData("10.1.2.3", "Basic bWV0cmljczp4", 401)]
    [InlineData("192.168.1.9", "Bearer metrics-token-0123456789", 403)]
    public void Check_TokenAndAllowList_BothMustPass(string remote, string? authorization, int? refused) =>
        StatusOf(Access(allowFrom: ["10.0.0.0/8"], token: "metrics-token-0123456789").Check(IPAddress.Parse(remote), authorization)).ShouldBe(refused);

    /// <summary>The refusal's status; null when the scrape is let through.</summary>
    private static int? StatusOf((int Status, string Detail)? refusal) => refusal?.Status;

    private static MetricsAccess Access(string[] allowFrom, string? token) =>
        new(Options.Create(new TelemetryOptions { Metrics = new MetricsEndpointOptions { Enabled = true, Token = token, AllowFrom = [.. allowFrom] } }));
}
