using System.Text.Json.Serialization;

namespace Overseer.Contracts.Events;

/// <summary>
/// What cut an <see cref="SessionStatus.Interrupted"/> session off mid-turn: Overseer stopping
/// (SIGTERM, a clean shutdown) or crashing (found cut off at the next start). Stored with the
/// state change and on the session, so start-up can tell them apart without reading reasons.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<InterruptionCause>))]
public enum InterruptionCause
{
    [JsonStringEnumMemberName("stop")] Stop,
    [JsonStringEnumMemberName("crash")] Crash,
}

public static class InterruptionCauseNames
{
    public static string ToWire(this InterruptionCause cause) => cause switch
    {
        InterruptionCause.Stop => "stop",
        InterruptionCause.Crash => "crash",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, null),
    };

    public static InterruptionCause? Parse(string? wire) => wire switch
    {
        "stop" => InterruptionCause.Stop,
        "crash" => InterruptionCause.Crash,
        _ => null,
    };
}
