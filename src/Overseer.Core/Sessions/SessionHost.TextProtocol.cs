using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Interaction.TextProtocol;
using Overseer.Core.Secrets;

namespace Overseer.Core.Sessions;

// Seed 003's text protocol, recognised in any runtime's text: questions and phase reviews the
// agent waits for by ending its turn (the answer or decision arrives as its next message),
// reported errors that do not end the session, and the progress it reports (phases and steps).
public sealed partial class SessionHost
{
    private readonly TextProtocolScanner _scanner = new();

    private async Task ScanAsync(IReadOnlyList<ProtocolBlock> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case PhaseCompleteBlock phase:
                    await OpenPhaseReviewAsync(phase.Phase);
                    break;
                case PhaseStartBlock started:
                    await AppendAsync(PhaseEvent(started.Name, started.Phase, started.Total));
                    break;
                case StepBlock step:
                    await AppendAsync(StepEvent(step.Percent, step.Text, step.Step, step.Steps));
                    break;
                case UserQuestionBlock question:
                    var questionId = Ids.New("q");
                    var item = new QuestionItem(question.Question, question.Category, question.Options.Select(o => new QuestionOption(o)).ToList(), question.MultiSelect);
                    await OpenDeferredAsync(PendingKind.Question, questionId, question.Question, EventFactory.Create(Id, EventTypes.QuestionAsked, EventFactory.AgentActor,
                        new QuestionAskedData(questionId, [item]), OverseerJson.Default.QuestionAskedData));
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
                    await OpenDeferredAsync(PendingKind.Dependency, dependencyId, dependency.Name, EventFactory.Create(Id, EventTypes.DependencyRequested, EventFactory.AgentActor,
                        new DependencyRequestedData(dependencyId, dependency.Type, dependency.Name, dependency.Description, dependency.Required),
                        OverseerJson.Default.DependencyRequestedData));
                    break;
            }
        }
    }
}
