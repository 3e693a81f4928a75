namespace Overseer.Telemetry;

/// <summary>How the console is written: with <see cref="Json"/>, every line must be one JSON object, so nothing else may print plain text there.</summary>
public sealed record LogFormat(bool Json);
