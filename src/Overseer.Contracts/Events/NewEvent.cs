using System.Text.Json;

namespace Overseer.Contracts.Events;

/// <summary>An event about to be appended; the store assigns seq, sessionSeq and ts.</summary>
public sealed record NewEvent(string? SessionId, string Type, string Actor, JsonElement Data);
