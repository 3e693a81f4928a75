using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Dashboard;

/// <summary>JSON the dashboard writes into pages: indented, since people read it.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class DashboardJson : JsonSerializerContext;
