using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Tests;

/// <summary>Builds events with the same data shapes the engine stores.</summary>
internal static class Events
{
    public const string Actor = "test";

    private static NewEvent Create<T>(string? sessionId, string type, T data, JsonTypeInfo<T> typeInfo) =>
        new(sessionId, type, Actor, JsonSerializer.SerializeToElement(data, typeInfo));

    public static NewEvent ProjectCreated(string projectId, string path, string? name = null) =>
        Create(null, EventTypes.ProjectCreated, new ProjectCreatedData(projectId, name ?? projectId, path), OverseerJson.Default.ProjectCreatedData);

    public static NewEvent ProjectDeleted(string projectId) =>
        Create(null, EventTypes.ProjectDeleted, new ProjectDeletedData(projectId), OverseerJson.Default.ProjectDeletedData);

    public static NewEvent SessionCreated(string sessionId, string projectId, string prompt = "Do the thing.", int priority = 0, string? model = null) =>
        Create(sessionId, EventTypes.SessionCreated, new SessionCreatedData(projectId, prompt, "scripted", model, priority, null), OverseerJson.Default.SessionCreatedData);

    public static NewEvent State(string sessionId, SessionStatus? from, SessionStatus to, string? reason = null, string? error = null, DateTimeOffset? until = null) =>
        Create(sessionId, to.EventType(), new StateChangeData(from, to, reason, error, until), OverseerJson.Default.StateChangeData);

    public static NewEvent Text(string? sessionId, string text) =>
        Create(sessionId, EventTypes.AgentText, new AgentTextData(text), OverseerJson.Default.AgentTextData);

    public static NewEvent AgentStarted(string sessionId, string agentSessionId) =>
        Create(sessionId, EventTypes.AgentStarted, new AgentStartedData(agentSessionId, "m", false), OverseerJson.Default.AgentStartedData);

    public static NewEvent Usage(string sessionId, UsageTotals turn, UsageTotals total) =>
        Create(sessionId, EventTypes.UsageUpdated,
            new UsageUpdatedData("m", turn.InputTokens, turn.OutputTokens, turn.CacheReadTokens, turn.CostUsd, turn, total), OverseerJson.Default.UsageUpdatedData);

    public static NewEvent QuestionAsked(string sessionId, string questionId, params QuestionItem[] questions) =>
        Create(sessionId, EventTypes.QuestionAsked, new QuestionAskedData(questionId, questions), OverseerJson.Default.QuestionAskedData);

    public static NewEvent QuestionAnswered(string sessionId, string questionId, string question, string answer) =>
        Create(sessionId, EventTypes.QuestionAnswered,
            new QuestionAnsweredData(questionId, new Dictionary<string, JsonElement> { [question] = JsonSerializer.SerializeToElement(answer, OverseerJson.Default.String) }, "user"),
            OverseerJson.Default.QuestionAnsweredData);

    public static NewEvent QuestionCancelled(string sessionId, string questionId) =>
        Create(sessionId, EventTypes.QuestionCancelled, new QuestionCancelledData(questionId, "the turn ended"), OverseerJson.Default.QuestionCancelledData);

    public static string TextOf(EventEnvelope e) => e.Data.Deserialize(OverseerJson.Default.AgentTextData)!.Text;
}

/// <summary>Records every committed batch; can hold the writer inside one commit to line appends up behind it.</summary>
internal sealed class RecordingObserver : ICommitObserver, IDisposable
{
    private readonly List<IReadOnlyList<EventEnvelope>> _batches = [];
    private readonly ManualResetEventSlim _held = new();
    private readonly ManualResetEventSlim _release = new();
    private volatile bool _holdNext;

    public IReadOnlyList<IReadOnlyList<EventEnvelope>> Batches
    {
        get { lock (_batches) return [.. _batches]; }
    }

    public void OnCommitted(IReadOnlyList<EventEnvelope> batch)
    {
        lock (_batches)
            _batches.Add([.. batch]);
        if (_holdNext)
        {
            _holdNext = false;
            _held.Set();
            _release.Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The next committed batch holds the writer (after its commit) until <see cref="Release"/>.</summary>
    public void HoldNext()
    {
        _held.Reset();
        _release.Reset();
        _holdNext = true;
    }

    public void WaitUntilHeld() => _held.Wait(TimeSpan.FromSeconds(15)).ShouldBeTrue("the writer never reached the observer");

    public void Release() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _held.Dispose();
        _release.Dispose();
    }
}
