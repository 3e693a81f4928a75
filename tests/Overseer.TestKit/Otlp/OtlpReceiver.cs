using System.Globalization;
using Microsoft.AspNetCore.Http;
using Overseer.TestKit.Notifications;
using Overseer.TestKit.Otlp.Proto;

namespace Overseer.TestKit.Otlp;

/// <summary>
/// An OTLP/HTTP collector on http://127.0.0.1:&lt;free port&gt;: decodes <c>/v1/traces</c>
/// (protobuf, as the .NET exporter sends it) into <see cref="ReceivedSpan"/>s and counts
/// <c>/v1/metrics</c> exports. Point <c>Telemetry:Otlp:Endpoint</c> at <see cref="Endpoint"/>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedSpan> _spans = [];
    private LocalHttpServer _server = null!;
    private int _metricExports;

    private OtlpReceiver()
    {
    }

    public Uri Endpoint => _server.BaseUrl;

    public IReadOnlyList<ReceivedSpan> Spans { get { lock (_gate) return [.. _spans]; } }

    public int MetricExports => Volatile.Read(ref _metricExports);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await LocalHttpServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != HttpMethods.Post || request.ContentType != "application/x-protobuf")
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        var body = await LocalHttpServer.ReadBodyAsync(request);
        switch (request.Path.Value)
        {
            case "/v1/traces":
                Add(ExportTraceServiceRequest.Parser.ParseFrom(body));
                break;
            case "/v1/metrics":
                Interlocked.Increment(ref _metricExports);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(new byte[0]);
    }

    private void Add(ExportTraceServiceRequest export)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resource in export.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue;
            foreach (var scope in resource.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    spans.Add(new ReceivedSpan(
                        service, scope.Scope?.Name, span.Name, Hex(span.TraceId), Hex(span.SpanId),
                        span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
                        span.Attributes.ToDictionary(a => a.Key, a => Value(a.Value), StringComparer.Ordinal),
                        span.Status?.Code ?? 0,
                        TimeSpan.FromTicks((long)((span.EndTimeUnixNano - span.StartTimeUnixNano) / 100)),
                        [.. span.Links.Select(l => Hex(l.TraceId))]));
                }
            }
        }
        lock (_gate)
            _spans.AddRange(spans);
    }

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string? Value(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <param name="Status">OTLP's status code: 0 unset, 1 ok, 2 error.</param>
public sealed record ReceivedSpan(
    string? Service, string? Scope, string Name, string TraceId, string SpanId, string? ParentSpanId,
    IReadOnlyDictionary<string, string?> Attributes, int Status, TimeSpan Duration, IReadOnlyList<string> LinkedTraces);
