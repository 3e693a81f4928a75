using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Where the loop says what happens: each event goes to the session (which stores it), and what
/// belongs to the conversation goes into the transcript at the same moment, so the two agree.
/// </summary>
internal sealed class LoopOutput(IAgentSink sink, Transcript transcript, CancellationToken stopping)
{
    public Transcript Transcript => transcript;

    public IAgentSink Sink => sink;

    /// <summary>Ends with the connection: a loop being stopped must not wait on its session (which is stopping it).</summary>
    public CancellationToken Stopping => stopping;

    public async ValueTask EmitAsync(AgentEvent agentEvent, TranscriptEntry? entry = null)
    {
        if (entry is not null)
        {
            lock (transcript)
                transcript.Add(entry);
        }
        await sink.EmitAsync(agentEvent, stopping);
    }

    public ValueTask TextAsync(string text, string? messageId) =>
        EmitAsync(new AgentTextEmitted(text, messageId), new AssistantTextEntry(text));

    public ValueTask ToolResultAsync(string toolUseId, ToolOutcome outcome) =>
        EmitAsync(new ToolResultEmitted(toolUseId, outcome.Content, outcome.IsError), new ToolResultEntry(toolUseId, outcome.Content, outcome.IsError));

    public ValueTask FactAsync<T>(string type, T data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, TranscriptEntry? entry = null) =>
        EmitAsync(new AgentFact(type, JsonSerializer.SerializeToElement(data, info)), entry);

    public ValueTask ErrorAsync(string message, string kind) =>
        FactAsync(EventTypes.AgentError, new AgentErrorData(message, kind), OverseerJson.Default.AgentErrorData);

    /// <summary>
    /// Answers every call of the last model message that has no result yet: a turn that ends early
    /// (an interrupt, a failed call) leaves no call unanswered in the log.
    /// </summary>
    public async ValueTask AnswerOpenCallsAsync(string why)
    {
        IReadOnlyList<ToolUsePart> open;
        lock (transcript)
            open = ConversationBuilder.Unanswered(transcript.Entries);
        foreach (var call in open)
            await ToolResultAsync(call.Id, ToolOutcome.Error(why));
    }
}

