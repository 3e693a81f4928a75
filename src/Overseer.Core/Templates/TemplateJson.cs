using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Core.Templates;

[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class TemplateJson : JsonSerializerContext;
