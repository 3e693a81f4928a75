using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Core.Schedules;

/// <summary>What a schedule's runs start with besides the template's defaults (stored as the schedule's <c>options</c>).</summary>
public sealed record ScheduleRunOptions(string? Runtime = null, string? Model = null, string? Isolation = null, int? Priority = null, JsonElement? Script = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScheduleRunOptions))]
internal sealed partial class ScheduleJson : JsonSerializerContext;
