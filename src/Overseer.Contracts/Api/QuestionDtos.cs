using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Contracts.Api;

public sealed record QuestionDto(
    string Id,
    string SessionId,
    IReadOnlyList<QuestionItem> Questions,
    string Status,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, JsonElement>? Answers);

public sealed record AnswerQuestionRequest(Dictionary<string, JsonElement>? Answers);
