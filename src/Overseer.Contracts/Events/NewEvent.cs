using System.Text.Json;

namespace Overseer.Contracts.Events;

/// <summary>An event about to be appended; the store assigns seq, sessionSeq and ts.</summary>
public sealed record NewEvent(string? SessionId, string Type, string Actor, JsonElement Data)
{
    /// <summary>
    /// Whole texts the event's data refers to by <see cref="NewBlob.Id"/> (its data holds only a preview):
    /// stored for the event's session in the same transaction as the event, so neither is there without the other.
    /// </summary>
    public IReadOnlyList<NewBlob>? Blobs { get; init; }
}
