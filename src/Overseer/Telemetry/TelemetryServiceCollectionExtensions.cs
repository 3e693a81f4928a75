using System.Reflection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Overseer.Auth;
using Overseer.Core.Telemetry;
using Overseer.Storage.Telemetry;

namespace Overseer.Telemetry;

/// <summary>
/// Wires the OpenTelemetry SDK to Overseer's meter and activity source: a Prometheus scrape
/// endpoint and/or OTLP export, each only when configured. With neither, no listener is attached
/// and the instruments in the store and the sessions cost nothing.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<MetricsAccess>();
        services.AddSingleton<AgentProcesses>();
        services.AddSingleton<OverseerGauges>();

        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var json = options.Logs.Json || string.Equals(builder.Configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);
        services.AddSingleton(new LogFormat(json));
        if (json)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        if (!options.MetricsWanted)
            return builder;

        var otlp = options.Otlp;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("overseer", serviceVersion: Version, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(OverseerTelemetry.Name).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
                if (options.Metrics.Enabled)
                    metrics.AddPrometheusExporter(o =>
                    {
                        o.ScrapeEndpointPath = options.Metrics.Path;
                        // Every scrape sees now: collecting is cheap, and a cached answer hides a change for its lifetime.
                        o.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
                if (otlp.Enabled)
                {
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        Configure(exporter, otlp, "v1/metrics");
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.MetricsInterval.TotalMilliseconds;
                    });
                }
            });
        if (otlp.Enabled)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(OverseerTelemetry.Name);
                if (otlp.TraceRequests)
                    tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !Untraced(context.Request.Path, options.Metrics.Path));
                tracing.AddOtlpExporter(exporter =>
                {
                    Configure(exporter, otlp, "v1/traces");
                    exporter.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)otlp.TracesInterval.TotalMilliseconds;
                });
            });
        }
        return builder;
    }

    /// <summary>Maps the scrape endpoint behind its own check, and starts the gauges; both only when configured.</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.MetricsWanted)
            app.Services.GetRequiredService<OverseerGauges>();
        if (!options.Metrics.Enabled)
            return app;
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(options.Metrics.Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(next => async context =>
        {
            if (access.Check(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization) is { } refused)
            {
                var code = refused.Status == StatusCodes.Status401Unauthorized ? Contracts.Api.ErrorCodes.Unauthorized : Contracts.Api.ErrorCodes.Forbidden;
                if (refused.Status == StatusCodes.Status401Unauthorized)
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"metrics\"";
                await Api.Problems.Write(context, refused.Status, code, refused.Detail);
                return;
            }
            await next(context);
        }), optionsName: null)
            // Not a person's route: the scraper has no user or role. MetricsAccess is its check.
            .Public()
            .WithMetadata(OwnCredentials.Instance);
        return app;
    }

    private static void Configure(OtlpExporterOptions exporter, OtlpOptions otlp, string signalPath)
    {
        var endpoint = new Uri(otlp.Endpoint!);
        if (otlp.Protocol == OtlpOptions.Grpc)
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
        }
        else
        {
            // Set in code, the http/protobuf endpoint is used as written: the signal's path is ours to add.
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
        if (!string.IsNullOrWhiteSpace(otlp.Headers))
            exporter.Headers = otlp.Headers;
    }

    // Scrapes, health probes and static files would bury the requests that matter.
    private static bool Untraced(PathString path, string metricsPath) =>
        path.StartsWithSegments(metricsPath) || path.StartsWithSegments("/health") || path.StartsWithSegments("/api/health") || path.StartsWithSegments("/static");

    private static string Version =>
        typeof(TelemetryServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
}
