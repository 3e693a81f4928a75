using System.Text.Json;
using System.Text.Json.Serialization;
using Overseer.Contracts.Api;
using Overseer.Notifications.Channels;

namespace Overseer.Notifications;

/// <summary>Source-generated JSON for notification requests, answers, stored settings and what channels send.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateChannelRequest))]
[JsonSerializable(typeof(UpdateChannelRequest))]
[JsonSerializable(typeof(ChannelDto))]
[JsonSerializable(typeof(ListResponse<ChannelDto>))]
[JsonSerializable(typeof(NotificationDto))]
[JsonSerializable(typeof(ListResponse<NotificationDto>))]
[JsonSerializable(typeof(ChannelTarget))]
[JsonSerializable(typeof(ChannelPreferences))]
[JsonSerializable(typeof(ActionClaim))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(NtfyMessage))]
[JsonSerializable(typeof(WebPushPayload))]
[JsonSerializable(typeof(WebPushKeyDto))]
internal sealed partial class NotificationJson : JsonSerializerContext;
