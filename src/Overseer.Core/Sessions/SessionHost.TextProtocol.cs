using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Interaction.TextProtocol;

namespace Overseer.Core.Sessions;

// Seed 003's text protocol, recognised in any runtime's text: questions and phase reviews the
// agent waits for by ending its turn (the answer or decision arrives as its next message), and
// reported errors that do not end the session.
public sealed partial class SessionHost
{
    private readonly TextProtocolScanner _scanner = new();
    private readonly Dictionary<string, string> _textQuestions = new(StringComparer.Ordinal);

    private async Task ScanAsync(IReadOnlyList<ProtocolBlock> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case PhaseCompleteBlock phase:
                    await OpenPhaseReviewAsync(phase.Phase);
                    break;
                case UserQuestionBlock question:
                    var questionId = Ids.New("q");
                    var item = new QuestionItem(question.Question, question.Category, question.Options.Select(o => new QuestionOption(o)).ToList(), question.MultiSelect);
                    await AppendAsync(EventFactory.Create(Id, EventTypes.QuestionAsked, EventFactory.AgentActor,
                        new QuestionAskedData(questionId, [item]), OverseerJson.Default.QuestionAskedData));
                    _textQuestions[questionId] = question.Question;
                    break;
                case ErrorBlock error:
                    await AppendAsync(new NewEvent(Id, EventTypes.AgentReportedError, EventFactory.AgentActor,
                        new JsonObjectBuilder().Add("type", error.Type).Add("message", error.Message).Build()));
                    break;
                case MalformedBlock malformed:
                    await AppendAsync(new NewEvent(Id, EventTypes.AgentError, EventFactory.AgentActor,
                        new JsonObjectBuilder().Add("kind", "protocol").Add("message", $"A {malformed.Kind} block could not be read: {malformed.Problem}").Add("raw", malformed.Raw).Build()));
                    break;
                case DependencyRequestBlock dependency:
                    // Providing dependencies is not built yet: keep the request visible rather than drop it.
                    await AppendAsync(new NewEvent(Id, EventTypes.AgentRaw, EventFactory.AgentActor,
                        new JsonObjectBuilder().Add("type", "dependency_request").Add("dependencyType", dependency.Type).Add("name", dependency.Name)
                            .Add("description", dependency.Description).Add("required", dependency.Required).Build()));
                    break;
            }
        }
    }

    /// <summary>An answer to a question asked in text: it becomes part of the agent's next message.</summary>
    private async Task<bool> AnswerTextQuestionAsync(string questionId, IReadOnlyDictionary<string, JsonElement> answers, string by)
    {
        if (!_textQuestions.Remove(questionId, out var question))
            return false;
        var answered = EventFactory.Create(Id, EventTypes.QuestionAnswered, by, new QuestionAnsweredData(questionId, answers, by), OverseerJson.Default.QuestionAnsweredData);
        var answer = answers.TryGetValue(question, out var a)
            ? a.ValueKind == JsonValueKind.Array ? string.Join(", ", a.EnumerateArray().Select(x => x.GetString())) : a.GetString()
            : string.Join("; ", answers.Values.Select(v => v.ToString()));
        _followUps.Add($"Answer to your question \"{question}\": {answer}");
        await ContinueAfterDeferredAsync(answered, by);
        return true;
    }
}
