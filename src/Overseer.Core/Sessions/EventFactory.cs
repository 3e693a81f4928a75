using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

/// <summary>Builds <see cref="NewEvent"/>s from typed data with the source-generated serialisers.</summary>
public static class EventFactory
{
    public const string AgentActor = "agent";
    public const string SystemActor = "system";

    public static NewEvent Create<T>(string? sessionId, string type, string actor, T data, JsonTypeInfo<T> typeInfo) =>
        new(sessionId, type, actor, JsonSerializer.SerializeToElement(data, typeInfo));

    /// <summary>An event whose data refers to <paramref name="blob"/> (stored with it in one transaction), when there is one.</summary>
    public static NewEvent Create<T>(string? sessionId, string type, string actor, T data, JsonTypeInfo<T> typeInfo, NewBlob? blob) =>
        new(sessionId, type, actor, JsonSerializer.SerializeToElement(data, typeInfo)) { Blobs = blob is null ? null : [blob] };
}
