namespace Overseer.Tests.Telemetry;

/// <summary>The telemetry test classes share one server process (and run one after the other on it).</summary>
[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryServer>
{
    public const string Name = "telemetry server";
}
