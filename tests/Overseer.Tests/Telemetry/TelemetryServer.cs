using Overseer.TestKit;
using Overseer.TestKit.Otlp;

namespace Overseer.Tests.Telemetry;

/// <summary>
/// One <c>overseer serve</c> process for a test class, with its metrics endpoint on (token) and
/// OTLP export to a receiver of the TestKit. A process of its own: the meter and activity source
/// are process-wide, so in-process servers of other test classes would add to its numbers.
/// </summary>
public sealed class TelemetryServer : IAsyncLifetime
{
    public const string MetricsToken = "scrape-token-0123456789abcdef";

    private readonly TempDirectory _temp = new();

    public ServerProcess Server { get; private set; } = null!;
    public OtlpReceiver Otlp { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public string ProjectsRoot => Path.Combine(_temp.Path, "projects");

    public string NewProjectDir() => _temp.Create(Path.Combine("projects", Guid.NewGuid().ToString("N")[..8]));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectsRoot);
        Otlp = await OtlpReceiver.StartAsync();
        Server = await ServerProcess.StartAsync(Path.Combine(_temp.Path, "data"), ProjectsRoot, new Dictionary<string, string>
        {
            ["OVERSEER__Telemetry__Metrics__Enabled"] = "true",
            ["OVERSEER__Telemetry__Metrics__Token"] = MetricsToken,
            ["OVERSEER__Telemetry__Otlp__Endpoint"] = Otlp.Endpoint.ToString(),
            ["OVERSEER__Telemetry__Otlp__TracesInterval"] = "00:00:00.200",
            ["OVERSEER__Telemetry__Otlp__MetricsInterval"] = "00:00:01",
            ["OVERSEER__Sessions__ApprovalTimeout"] = "00:10:00",
        });
        Client = Server.CreateClient();
    }

    /// <summary>GET /metrics with the metrics token, parsed strictly.</summary>
    public async Task<IReadOnlyDictionary<string, MetricFamily>> ScrapeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MetricsToken);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/plain");
        return PrometheusText.Parse(text);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Otlp.DisposeAsync();
        _temp.Dispose();
    }
}
