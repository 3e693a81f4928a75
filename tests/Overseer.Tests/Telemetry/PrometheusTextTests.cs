namespace Overseer.Tests.Telemetry;

/// <summary>The test's Prometheus parser refuses what Prometheus refuses, so a scrape that parses is one Prometheus would take.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Parse_EscapedLabelsAndHelp_ReadsThemBack()
    {
        var families = PrometheusText.Parse(
            "# HELP up A \\\\ help\\nline\n# TYPE up gauge\nup{path=\"C:\\\\x\",q=\"say \\\"hi\\\"\",n=\"a\\nb\"} 1\n");
        families["up"].Help.ShouldBe("A \\ help\nline");
        var labels = families["up"].Samples.Single().Labels;
        labels["path"].ShouldBe("C:\\x");
        labels["q"].ShouldBe("say \"hi\"");
        labels["n"].ShouldBe("a\nb");
    }

    [Theory]
    [InlineData("up 1\n", "has no TYPE")]
    [InlineData("# TYPE up gauge\nup{a=\"x\\q\"} 1\n", "bad escape")]
    [InlineData("# TYPE up gauge\nup{a=\"x\"} 1\nup{a=\"x\"} 2\n", "duplicate series")]
    [InlineData("# TYPE up gauge\nup{a=x} 1\n", "not quoted")]
    [InlineData("# TYPE up gauge\nup one\n", "bad value")]
    [InlineData("# TYPE up gauge\nup 1\n# TYPE up gauge\n", "after its samples")]
    [InlineData("# TYPE c_total counter\nc_total -1\n", "below zero")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 2\n", "decreasing")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\n", "not +Inf")]
    public void Parse_WhatPrometheusRefuses_Throws(string text, string message) =>
        Should.Throw<FormatException>(() => PrometheusText.Parse(text)).Message.ShouldContain(message);
}
