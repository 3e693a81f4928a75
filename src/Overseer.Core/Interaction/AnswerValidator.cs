using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Core.Interaction;

/// <summary>
/// Checks answers against the questions asked: every question answered, by its exact text, with a
/// non-empty string (a label or free text) or, for multi-select, a list of them.
/// </summary>
public static class AnswerValidator
{
    public static string? Validate(IReadOnlyList<QuestionItem> questions, IReadOnlyDictionary<string, JsonElement>? answers)
    {
        if (answers is null || answers.Count == 0)
            return "answers is required: an object mapping each question's text to the chosen label(s) or free text.";
        var texts = questions.Select(q => q.Question).ToHashSet(StringComparer.Ordinal);
        foreach (var key in answers.Keys)
        {
            if (!texts.Contains(key))
                return $"answers['{key}'] does not name a question that was asked.";
        }
        foreach (var question in questions)
        {
            if (!answers.TryGetValue(question.Question, out var answer))
                return $"answers['{question.Question}'] is missing.";
            var problem = answer.ValueKind switch
            {
                JsonValueKind.String when string.IsNullOrWhiteSpace(answer.GetString()) => "must not be empty",
                JsonValueKind.String => null,
                JsonValueKind.Array when !question.MultiSelect => "must be one label or free text; the question is not multi-select",
                JsonValueKind.Array when answer.GetArrayLength() == 0 => "must choose at least one label",
                JsonValueKind.Array when answer.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(a.GetString())) => "must hold only non-empty strings",
                JsonValueKind.Array => null,
                _ => "must be a string" + (question.MultiSelect ? " or an array of strings" : ""),
            };
            if (problem is not null)
                return $"answers['{question.Question}'] {problem}.";
        }
        return null;
    }
}
