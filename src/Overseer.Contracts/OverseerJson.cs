using System.Text.Json;
using System.Text.Json.Serialization;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Contracts;

/// <summary>Source-generated JSON for every wire and stored type: camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(IReadOnlyList<EventEnvelope>))]
[JsonSerializable(typeof(ProjectCreatedData))]
[JsonSerializable(typeof(ProjectDeletedData))]
[JsonSerializable(typeof(SessionCreatedData))]
[JsonSerializable(typeof(StateChangeData))]
[JsonSerializable(typeof(UserMessageData))]
[JsonSerializable(typeof(AgentTextData))]
[JsonSerializable(typeof(ToolCallData))]
[JsonSerializable(typeof(ToolResultData))]
[JsonSerializable(typeof(ToolDecisionData))]
[JsonSerializable(typeof(QuestionAskedData))]
[JsonSerializable(typeof(QuestionAnsweredData))]
[JsonSerializable(typeof(QuestionCancelledData))]
[JsonSerializable(typeof(UsageUpdatedData))]
[JsonSerializable(typeof(ReviewRequestedData))]
[JsonSerializable(typeof(ReviewDecidedData))]
[JsonSerializable(typeof(ReviewCancelledData))]
[JsonSerializable(typeof(ReviewDto))]
[JsonSerializable(typeof(ListResponse<ReviewDto>))]
[JsonSerializable(typeof(RequestChangesRequest))]
[JsonSerializable(typeof(AgentErrorData))]
[JsonSerializable(typeof(AgentStartedData))]
[JsonSerializable(typeof(AgentExitedData))]
[JsonSerializable(typeof(CreateProjectRequest))]
[JsonSerializable(typeof(ProjectDto))]
[JsonSerializable(typeof(ListResponse<ProjectDto>))]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(SessionDto))]
[JsonSerializable(typeof(ListResponse<SessionDto>))]
[JsonSerializable(typeof(ListResponse<EventEnvelope>))]
[JsonSerializable(typeof(QuestionDto))]
[JsonSerializable(typeof(ListResponse<QuestionDto>))]
[JsonSerializable(typeof(AnswerQuestionRequest))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(StatsDto))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, JsonElement>))]
[JsonSerializable(typeof(IReadOnlyList<QuestionItem>))]
public sealed partial class OverseerJson : JsonSerializerContext;
