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
            await baseline.WaitAsync(PhaseBaselineWait, _time);
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
        await OpenDeferredAsync(PendingKind.Review, reviewId, "phase",
            EventFactory.Create(Id, EventTypes.PhaseCompleted, EventFactory.AgentActor, new PhaseCompletedData(phase, reviewId, files.Count), OverseerJson.Default.PhaseCompletedData),
            EventFactory.Create(Id, EventTypes.ReviewRequested, EventFactory.AgentActor,
                new ReviewRequestedData(reviewId, "phase", null, phase, Files: files, Diff: changes.Diff), OverseerJson.Default.ReviewRequestedData));
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Session {SessionId}: the working directory could not be snapshotted for a phase")]
    private partial void LogSnapshotFailed(Exception ex, string sessionId);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Session {SessionId}: the working directory took over {Seconds} s to snapshot; the agent starts before it, so its first changes may be missing from the phase review")]
    private partial void LogSnapshotSlow(string sessionId, double seconds);
}
