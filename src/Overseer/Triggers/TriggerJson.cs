using System.Text.Json;
using System.Text.Json.Serialization;
using Overseer.Contracts.Api;

namespace Overseer.Triggers;

/// <summary>Source-generated JSON for trigger requests, answers, stored rules and what providers are sent and answer.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateTriggerRequest))]
[JsonSerializable(typeof(UpdateTriggerRequest))]
[JsonSerializable(typeof(TriggerDto))]
[JsonSerializable(typeof(ListResponse<TriggerDto>))]
[JsonSerializable(typeof(CreatedTriggerDto))]
[JsonSerializable(typeof(DeliveryDto))]
[JsonSerializable(typeof(ListResponse<DeliveryDto>))]
[JsonSerializable(typeof(List<TriggerRuleDto>))]
[JsonSerializable(typeof(TriggerPostbackDto))]
[JsonSerializable(typeof(PostbackTarget))]
[JsonSerializable(typeof(HookAnswer))]
[JsonSerializable(typeof(ProviderComment))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
public sealed partial class TriggerJson : JsonSerializerContext;
