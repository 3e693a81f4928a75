using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests.Telemetry;

/// <summary>Telemetry:Logs:Json: every console line a log shipper reads is one JSON object, and none holds a secret.</summary>
public sealed class JsonLogsTests
{
    [Fact]
    public async Task Serve_WithJsonLogs_WritesOneJsonObjectPerLine()
    {
        using var temp = new TempDirectory();
        var projects = temp.Create("projects");
        await using var server = await ServerProcess.StartAsync(Path.Combine(temp.Path, "data"), projects,
            new Dictionary<string, string> { ["OVERSEER__Telemetry__Logs__Json"] = "true" });
        var lines = await Poll.UntilAsync(() => Task.FromResult(server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)),
            l => l.Any(x => x.Contains("Application started", StringComparison.Ordinal)), what: "the started line");

        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            entry.RootElement.GetProperty("LogLevel").GetString().ShouldNotBeNullOrEmpty(line);
            entry.RootElement.GetProperty("Category").GetString().ShouldNotBeNullOrEmpty(line);
            entry.RootElement.GetProperty("Timestamp").GetString()!.ShouldEndWith("Z", Case.Sensitive, line);
        }
        lines.ShouldContain(l => l.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", StringComparison.Ordinal));
        // The first start's admin token is not printed into logs that get shipped: where it is, is.
        lines.ShouldContain(l => l.Contains("admin.token", StringComparison.Ordinal));
        server.Output.ShouldNotContain(server.Token);
    }
}
