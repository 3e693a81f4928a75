using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Prompts;

/// <summary>Source-generated JSON for the optimiser's request and answer, and the Messages API's.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OptimizePromptRequest))]
[JsonSerializable(typeof(OptimizedPromptDto))]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessagesResponse))]
[JsonSerializable(typeof(MessagesError))]
internal sealed partial class PromptJson : JsonSerializerContext;
