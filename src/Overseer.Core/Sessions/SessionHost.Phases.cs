using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Sessions;

// Phases (seed 003): the agent announces "=== PHASE N COMPLETE ===" in its text. The session
// opens a review carrying what changed since the phase began and is held when the turn ends;
// approving sends the next-phase prompt, requesting changes sends the feedback, each as the
// agent's next message.
public sealed partial class SessionHost
{
    private readonly Dictionary<string, int> _phaseReviews = new(StringComparer.Ordinal);
    private readonly List<string> _followUps = [];
    private Task<string?>? _phaseBaseline;
    private bool _turnActive;

    /// <summary>
    /// Remembers the state of the working directory when a phase begins. Taken off the actor (a
    /// large tree takes a while) while the agent starts up; the agent's message waits for it.
    /// </summary>
    private void StartPhase() => _phaseBaseline = Task.Run(async () =>
    {
        try
        {
            return await ChangeTracker.SnapshotAsync(_info.WorkingDirectory, CancellationToken.None);
        }
        catch (Exception ex) when (ex is GitException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogSnapshotFailed(ex, Id);
            return null;
        }
    });

    /// <summary>
    /// The agent gets its message only once the phase's starting point is taken, or anything it
    /// changes first would count as already there and be missing from the review. The snapshot
    /// runs while the agent process starts, so this rarely waits; a tree too large to snapshot in
    /// <see cref="PhaseBaselineWait"/> does not hold the agent up longer.
    /// </summary>
    private async Task AwaitPhaseBaselineAsync()
    {
        if (_phaseBaseline is not { IsCompleted: false } baseline)
            return;
        try
        {
            await baseline.WaitAsync(PhaseBaselineWait);
        }
        catch (TimeoutException)
        {
            LogSnapshotSlow(Id, PhaseBaselineWait.TotalSeconds);
        }
    }

    private static readonly TimeSpan PhaseBaselineWait = TimeSpan.FromSeconds(30);

    private async Task OpenPhaseReviewAsync(int phase)
    {
        PhaseChanges changes;
        try
        {
            var baseline = _phaseBaseline is null ? null : await _phaseBaseline;
            changes = baseline is null
                ? new PhaseChanges([], null)
                : await ChangeTracker.ChangesSinceAsync(_info.WorkingDirectory, baseline, CancellationToken.None);
        }
        catch (Exception ex) when (ex is GitException or IOException or UnauthorizedAccessException)
        {
            LogSnapshotFailed(ex, Id);
            changes = new PhaseChanges([], null);
        }
        var reviewId = Ids.New("r");
        var files = changes.Files.Select(f => new ChangedFileData(f.Path, f.Status)).ToList();
        await _store.AppendAsync(
        [
            EventFactory.Create(Id, EventTypes.PhaseCompleted, EventFactory.AgentActor, new PhaseCompletedData(phase, reviewId, files.Count), OverseerJson.Default.PhaseCompletedData),
            EventFactory.Create(Id, EventTypes.ReviewRequested, EventFactory.AgentActor,
                new ReviewRequestedData(reviewId, "phase", null, phase, Files: files, Diff: changes.Diff), OverseerJson.Default.ReviewRequestedData),
        ]);
        _phaseReviews[reviewId] = phase;
    }

    /// <summary>A decision on a phase review: the agent gets it as its next message once nothing else is pending.</summary>
    private async Task DecidePhaseAsync(string reviewId, bool approved, string? feedback, string by)
    {
        var decided = EventFactory.Create(Id, EventTypes.ReviewDecided, by,
            new ReviewDecidedData(reviewId, approved ? "approved" : "changes_requested", feedback, by), OverseerJson.Default.ReviewDecidedData);
        if (approved)
            StartPhase();
        _followUps.Add(approved ? _options.NextPhasePrompt : $"Changes requested for the phase: {feedback}");
        await ContinueAfterDeferredAsync(decided, by);
    }

    /// <summary>
    /// Stores a resolution; when it was the last thing the held session waited for, the queued
    /// follow-ups start the next turn.
    /// </summary>
    private async Task ContinueAfterDeferredAsync(NewEvent resolution, string by)
    {
        if (_status != SessionStatus.Waiting || PendingCount > 0 || _turnActive || _followUps.Count == 0)
        {
            await AppendAsync(resolution);
            return;
        }
        var message = string.Join("\n\n", _followUps);
        _followUps.Clear();
        await TransitionAsync(resolution, SessionStatus.Running, by, "decided by " + by);
        await BeginTurnAsync(message, by);
    }

    /// <summary>The session is ending: phase reviews nobody can act on any more are cancelled.</summary>
    private async Task CancelPhaseReviewsAsync(string reason)
    {
        foreach (var reviewId in _phaseReviews.Keys)
            await AppendAsync(EventFactory.Create(Id, EventTypes.ReviewCancelled, EventFactory.SystemActor, new ReviewCancelledData(reviewId, reason), OverseerJson.Default.ReviewCancelledData));
        _phaseReviews.Clear();
        foreach (var questionId in _textQuestions.Keys)
            await AppendAsync(EventFactory.Create(Id, EventTypes.QuestionCancelled, EventFactory.SystemActor, new QuestionCancelledData(questionId, reason), OverseerJson.Default.QuestionCancelledData));
        _textQuestions.Clear();
        foreach (var dependencyId in _dependencies.Keys)
            await AppendAsync(EventFactory.Create(Id, EventTypes.DependencyCancelled, EventFactory.SystemActor, new DependencyCancelledData(dependencyId, reason), OverseerJson.Default.DependencyCancelledData));
        _dependencies.Clear();
        _followUps.Clear();
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Session {SessionId}: the working directory could not be snapshotted for a phase")]
    private partial void LogSnapshotFailed(Exception ex, string sessionId);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Session {SessionId}: the working directory took over {Seconds} s to snapshot; the agent starts before it, so its first changes may be missing from the phase review")]
    private partial void LogSnapshotSlow(string sessionId, double seconds);
}
