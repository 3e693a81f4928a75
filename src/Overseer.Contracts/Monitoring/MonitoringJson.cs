using System.Text.Json;
using System.Text.Json.Serialization;
using Overseer.Contracts.Api;

namespace Overseer.Contracts.Monitoring;

/// <summary>Source-generated JSON for checks, rules, alerts and their events.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(CheckDefinition))]
[JsonSerializable(typeof(AlertRuleDefinition))]
[JsonSerializable(typeof(CheckDto))]
[JsonSerializable(typeof(ListResponse<CheckDto>))]
[JsonSerializable(typeof(CheckSeriesDto))]
[JsonSerializable(typeof(AlertRuleDto))]
[JsonSerializable(typeof(ListResponse<AlertRuleDto>))]
[JsonSerializable(typeof(AlertDto))]
[JsonSerializable(typeof(ListResponse<AlertDto>))]
[JsonSerializable(typeof(SilenceAlertRequest))]
[JsonSerializable(typeof(AlertRaisedData))]
[JsonSerializable(typeof(AlertResolvedData))]
[JsonSerializable(typeof(AlertAcknowledgedData))]
[JsonSerializable(typeof(AlertSilencedData))]
[JsonSerializable(typeof(AlertRunbookData))]
[JsonSerializable(typeof(CheckChangedData))]
public sealed partial class MonitoringJson : JsonSerializerContext;
