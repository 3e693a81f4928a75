namespace Overseer.Contracts.Api;

/// <param name="DefaultRuntime">The runtime of a session created without one (Sessions:DefaultRuntime).</param>
public sealed record HealthDto(string Status, StoreHealthDto Store, IReadOnlyDictionary<string, string> Runtimes, SandboxHealthDto? Sandbox = null, string? DefaultRuntime = null);

/// <summary>
/// The wall around agents: <c>mode</c> bubblewrap or off; <c>working</c> false means sessions
/// that run processes refuse to start (or, when off, run unsandboxed).
/// </summary>
public sealed record SandboxHealthDto(string Mode, bool Working, string Detail, string Limits);

public sealed record StoreHealthDto(string Status, string Provider, long LastSeq, string? Error);
