namespace Overseer.Telemetry;

/// <summary>Overseer's own telemetry (docs/telemetry.md). Everything is off until configured.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public MetricsEndpointOptions Metrics { get; set; } = new();
    public OtlpOptions Otlp { get; set; } = new();
    public LogOptions Logs { get; set; } = new();

    /// <summary>Whether any meter listener is wanted: a scrape endpoint or an OTLP export.</summary>
    public bool MetricsWanted => Metrics.Enabled || Otlp.Enabled;
}

/// <summary>The Prometheus scrape endpoint. Each protection that is set must pass; at least one must be.</summary>
public sealed class MetricsEndpointOptions
{
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>A bearer token of its own (not an API token): Prometheus's <c>authorization</c> credentials.</summary>
    public string? Token { get; set; }

    /// <summary>Networks allowed to scrape, as CIDRs (<c>127.0.0.1/32</c>, <c>10.0.0.0/8</c>, <c>::1/128</c>).</summary>
    public List<string> AllowFrom { get; set; } = [];
}

/// <summary>OTLP export of metrics and traces; on when an endpoint is set.</summary>
public sealed class OtlpOptions
{
    /// <summary>The collector's base address, e.g. <c>http://localhost:4318</c> (http/protobuf) or <c>http://localhost:4317</c> (grpc).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    public string Protocol { get; set; } = HttpProtobuf;

    /// <summary>Headers sent with each export, <c>key=value</c> pairs separated by commas (an API key for a hosted backend).</summary>
    public string? Headers { get; set; }

    /// <summary>How often metrics are pushed.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Spans are sent in batches at most this far apart.</summary>
    public TimeSpan TracesInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether API requests get spans too (agent turns and tool calls always do).</summary>
    public bool TraceRequests { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);

    public const string HttpProtobuf = "http/protobuf";
    public const string Grpc = "grpc";
}

public sealed class LogOptions
{
    /// <summary>One JSON object per line on the console instead of the one-line text format.</summary>
    public bool Json { get; set; }
}
