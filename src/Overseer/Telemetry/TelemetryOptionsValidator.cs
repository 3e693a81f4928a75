using System.Net;
using Microsoft.Extensions.Options;

namespace Overseer.Telemetry;

/// <summary>Refuses a start-up whose metrics would be open to anyone, or whose settings cannot be used as written.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        var metrics = options.Metrics;
        if (metrics.Enabled)
        {
            if (string.IsNullOrWhiteSpace(metrics.Token) && metrics.AllowFrom.Count == 0)
                errors.Add("Telemetry:Metrics:Enabled needs Telemetry:Metrics:Token or Telemetry:Metrics:AllowFrom: the metrics endpoint is never open to anyone.");
            if (metrics.Token is { Length: > 0 and < 16 })
                errors.Add("Telemetry:Metrics:Token must be at least 16 characters.");
            if (!metrics.Path.StartsWith('/') || metrics.Path.Length < 2 || metrics.Path.StartsWith("/api/", StringComparison.Ordinal))
                errors.Add($"Telemetry:Metrics:Path '{metrics.Path}' must start with / and lie outside /api/.");
        }
        foreach (var cidr in metrics.AllowFrom)
        {
            if (!IPNetwork.TryParse(cidr, out _))
                errors.Add($"Telemetry:Metrics:AllowFrom '{cidr}' is not a network in CIDR form (like 10.0.0.0/8 or ::1/128).");
        }
        var otlp = options.Otlp;
        if (otlp.Enabled)
        {
            if (!Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                errors.Add($"Telemetry:Otlp:Endpoint '{otlp.Endpoint}' must be an http:// or https:// address.");
            if (otlp.Protocol is not (OtlpOptions.HttpProtobuf or OtlpOptions.Grpc))
                errors.Add($"Telemetry:Otlp:Protocol '{otlp.Protocol}' must be {OtlpOptions.HttpProtobuf} or {OtlpOptions.Grpc}.");
            if (otlp.Headers is { } headers && headers.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(h => h.IndexOf('=', StringComparison.Ordinal) <= 0))
                errors.Add("Telemetry:Otlp:Headers must be key=value pairs separated by commas.");
            if (otlp.MetricsInterval < TimeSpan.FromSeconds(1) || otlp.TracesInterval < TimeSpan.FromMilliseconds(100))
                errors.Add("Telemetry:Otlp:MetricsInterval must be at least 1 second and TracesInterval at least 100 ms.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
