using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

/// <summary>How a person (or a timer) resolved a pending item.</summary>
/// <param name="Text">A review's feedback or an approval's reason.</param>
/// <param name="Answers">A question's answers.</param>
internal sealed record PendingAnswer(bool Approved, ActedBy By, string? Text = null, IReadOnlyDictionary<string, JsonElement>? Answers = null);

/// <summary>
/// Something a session waits on a person for. <b>Blocking</b> items hold the agent's turn: the
/// process waits on <see cref="Waiter"/> for the answer (a tool call at the gate, the agent's
/// question tool, a plan review). <b>Deferred</b> items do not: the answer becomes the agent's next
/// message (seed 003's text questions, dependency requests, phase reviews — and every blocking
/// item whose process is gone, after a restart).
/// </summary>
internal sealed class PendingItem(string id, PendingKind kind, string? detail, bool blocking)
{
    public string Id => id;

    public PendingKind Kind => kind;

    /// <summary>What going on without the asking process needs: the question, the review's kind, the dependency's name, the tool.</summary>
    public string? Detail => detail;

    /// <summary>The agent's turn waiting on the answer; null for a deferred item.</summary>
    public TaskCompletionSource<PendingAnswer>? Waiter { get; private set; } =
        blocking ? new TaskCompletionSource<PendingAnswer>(TaskCreationOptions.RunContinuationsAsynchronously) : null;

    public bool Blocking => Waiter is not null;

    /// <summary>The item's own timer (an approval's timeout); disposed with the item.</summary>
    public ITimer? Timer { get; set; }

    /// <summary>The process that waited is gone: the answer now goes as the agent's next message.</summary>
    public void Defer()
    {
        Waiter?.TrySetCanceled();
        Waiter = null;
    }

    /// <summary>Closed without an answer: whoever waited stops waiting.</summary>
    public void Cancel()
    {
        Waiter?.TrySetCanceled();
        Timer?.Dispose();
    }
}

/// <summary>
/// The open items of one session, owned by its actor (never touched off it). One collection for
/// every kind; blocking and deferred items are cancelled separately (a turn's end cancels only what
/// the turn waited on).
/// </summary>
internal sealed class PendingItems
{
    private readonly Dictionary<string, PendingItem> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public int BlockingCount => _items.Values.Count(i => i.Blocking);

    public bool Has(PendingKind kind) => _items.Values.Any(i => i.Kind == kind);

    public void Add(PendingItem item) => _items.Add(item.Id, item);

    /// <summary>Takes an open item of <paramref name="kind"/> out of the collection; its timer stops.</summary>
    public bool TryTake(string id, PendingKind kind, [NotNullWhen(true)] out PendingItem? item)
    {
        if (!_items.TryGetValue(id, out item) || item.Kind != kind)
        {
            item = null;
            return false;
        }
        _items.Remove(id);
        item.Timer?.Dispose();
        return true;
    }

    /// <summary>Takes every blocking item (its turn ended); deferred items stay.</summary>
    public List<PendingItem> TakeBlocking() => Take(i => i.Blocking);

    /// <summary>Takes every item of <paramref name="kind"/>.</summary>
    public List<PendingItem> Take(PendingKind kind) => Take(i => i.Kind == kind);

    public List<PendingItem> TakeAll() => Take(_ => true);

    /// <summary>The process is gone: every blocking item becomes deferred.</summary>
    public void DeferAll()
    {
        foreach (var item in _items.Values)
            item.Defer();
    }

    /// <summary>Why a session whose turn ended is held, for its state change.</summary>
    public string HoldReason()
    {
        var items = _items.Values;
        return items.Any(i => i.Kind == PendingKind.Review) ? items.Any(i => i.Detail == "phase") ? "waiting for a phase review" : "waiting for a review"
            : items.Any(i => i.Kind == PendingKind.Dependency) ? "waiting for a dependency"
            : "waiting for an answer";
    }

    public void DisposeTimers()
    {
        foreach (var item in _items.Values)
            item.Timer?.Dispose();
    }

    private List<PendingItem> Take(Func<PendingItem, bool> which)
    {
        var taken = _items.Values.Where(which).ToList();
        foreach (var item in taken)
            _items.Remove(item.Id);
        return taken;
    }

    /// <summary>The event that closes an item nobody can answer any more, for each kind alike.</summary>
    public static NewEvent Cancelled(string sessionId, PendingKind kind, string id, string reason) => kind switch
    {
        PendingKind.Approval => EventFactory.Create(sessionId, EventTypes.ApprovalDecided, EventFactory.SystemActor,
            new ApprovalDecidedData(id, ApprovalDecisions.Denied, EventFactory.SystemActor, "cancelled", reason), OverseerJson.Default.ApprovalDecidedData),
        PendingKind.Question => EventFactory.Create(sessionId, EventTypes.QuestionCancelled, EventFactory.SystemActor,
            new QuestionCancelledData(id, reason), OverseerJson.Default.QuestionCancelledData),
        PendingKind.Dependency => EventFactory.Create(sessionId, EventTypes.DependencyCancelled, EventFactory.SystemActor,
            new DependencyCancelledData(id, reason), OverseerJson.Default.DependencyCancelledData),
        _ => EventFactory.Create(sessionId, EventTypes.ReviewCancelled, EventFactory.SystemActor,
            new ReviewCancelledData(id, reason), OverseerJson.Default.ReviewCancelledData),
    };

    /// <summary>An approval whose process is gone: it can never run; the agent is told on its next message.</summary>
    public static NewEvent Expired(string sessionId, string approvalId, string reason) =>
        EventFactory.Create(sessionId, EventTypes.ApprovalDecided, EventFactory.SystemActor,
            new ApprovalDecidedData(approvalId, ApprovalDecisions.Expired, EventFactory.SystemActor, "expired", reason), OverseerJson.Default.ApprovalDecidedData);

    /// <summary>
    /// Where a session stands once its process is gone (shutdown, crash): held on what people were
    /// asked, still rate limited until its reset, or interrupted. Null: no change.
    /// </summary>
    public static SessionStatus? AfterProcessGone(SessionStatus status, bool deferredOpen) => status switch
    {
        SessionStatus.Waiting when deferredOpen => null,
        SessionStatus.Running or SessionStatus.Paused when deferredOpen => SessionStatus.Waiting,
        SessionStatus.RateLimited => null,
        _ when SessionStateMachine.IsAllowed(status, SessionStatus.Interrupted) => SessionStatus.Interrupted,
        _ => null,
    };
}
