using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Interaction.TextProtocol;
using Overseer.Core.Secrets;

namespace Overseer.Core.Sessions;

// Seed 003's text protocol, recognised in any runtime's text: questions and phase reviews the
// agent waits for by ending its turn (the answer or decision arrives as its next message), and
// reported errors that do not end the session.
public sealed partial class SessionHost
{
    private readonly TextProtocolScanner _scanner = new();
    private readonly Dictionary<string, string> _textQuestions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _dependencies = new(StringComparer.Ordinal);

    /// <summary>
    /// A dependency was provided (its value is already in the vault). A running process's
    /// environment cannot change, so the agent is restarted — resuming the same conversation — and
    /// is told where to find the value.
    /// </summary>
    public Task<CommandResult> ProvideDependencyAsync(string dependencyId, string source, string by) => Post(async () =>
    {
        if (!_dependencies.Remove(dependencyId, out var name))
            return CommandResult.InvalidState("The dependency is no longer waiting for a value.");
        var provided = EventFactory.Create(Id, EventTypes.DependencyProvided, by, new DependencyProvidedData(dependencyId, name, source, by), OverseerJson.Default.DependencyProvidedData);
        if (!_turnActive)
            await StopAgentAsync();
        _followUps.Add($"The dependency {name} has been provided: it is in your environment as the variable {name}.");
        await ContinueAfterDeferredAsync(provided, by);
        return CommandResult.Done;
    });

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
                    var message = Preview(error.Message);
                    var data = new JsonObjectBuilder().Add("type", error.Type).Add("message", message.Text);
                    if (message.Blob is { } blob)
                        data.Add("truncated", true).Add("fullLength", blob.Text.Length).Add("blobId", blob.Id);
                    await AppendAsync(new NewEvent(Id, EventTypes.AgentReportedError, EventFactory.AgentActor, data.Build()) { Blobs = message.Blob is null ? null : [message.Blob] });
                    break;
                case MalformedBlock malformed:
                    await AppendAsync(new NewEvent(Id, EventTypes.AgentError, EventFactory.AgentActor,
                        new JsonObjectBuilder().Add("kind", "protocol").Add("message", $"A {malformed.Kind} block could not be read: {malformed.Problem}").Add("raw", malformed.Raw).Build()));
                    break;
                case DependencyRequestBlock dependency when SecretNames.IsReserved(dependency.Name):
                    // Never opened: whatever value someone gave it would change how the agent's programs start.
                    await AppendAsync(new NewEvent(Id, EventTypes.AgentError, EventFactory.AgentActor,
                        new JsonObjectBuilder().Add("kind", "dependency").Add("name", dependency.Name).Add("message", SecretNames.Validate(dependency.Name)!.Value.Message).Build()));
                    break;
                case DependencyRequestBlock dependency:
                    var dependencyId = Ids.New("d");
                    await AppendAsync(EventFactory.Create(Id, EventTypes.DependencyRequested, EventFactory.AgentActor,
                        new DependencyRequestedData(dependencyId, dependency.Type, dependency.Name, dependency.Description, dependency.Required),
                        OverseerJson.Default.DependencyRequestedData));
                    _dependencies[dependencyId] = dependency.Name;
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
