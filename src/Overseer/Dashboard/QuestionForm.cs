using System.Text.Json;
using Overseer.Contracts.Api;

namespace Overseer.Dashboard;

/// <summary>
/// Turns the question form into the answers the engine validates: question i's chosen labels
/// come as <c>q{i}</c>, typed text as <c>q{i}-other</c>; typed text wins for a single choice.
/// </summary>
public static class QuestionForm
{
    public static Dictionary<string, JsonElement> Answers(QuestionDto question, IFormCollection form)
    {
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < question.Questions.Count; i++)
        {
            var item = question.Questions[i];
            var chosen = form["q" + i].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList();
            var other = form[$"q{i}-other"].FirstOrDefault()?.Trim();
            if (!string.IsNullOrEmpty(other))
            {
                if (item.MultiSelect)
                    chosen.Add(other);
                else
                    chosen = [other];
            }
            if (chosen.Count == 0)
                continue; // the validator names the unanswered question
            answers[item.Question] = item.MultiSelect
                ? JsonSerializer.SerializeToElement(chosen, DashboardJson.Default.ListString)
                : JsonSerializer.SerializeToElement(chosen[0], DashboardJson.Default.String);
        }
        return answers;
    }
}
