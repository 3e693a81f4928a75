namespace Overseer.Storage.Triggers;

/// <summary>
/// Triggers (inbound webhooks mapped to templates) and every delivery they received, with the
/// state of the comment each started session posts back when it settles.
/// </summary>
public interface ITriggerStore
{
    Task AddAsync(TriggerRecord trigger, CancellationToken cancellationToken = default);
    Task<TriggerRecord?> FindAsync(string id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<TriggerRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a trigger's name, rules, post-back settings and enabled flag; false when there is no such trigger.</summary>
    Task<bool> UpdateAsync(TriggerRecord trigger, CancellationToken cancellationToken = default);

    /// <summary>Removes a trigger and its deliveries (their post-backs with them).</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a delivery before anything is started for it; false when the trigger already has one
    /// with the same delivery key or the same body (a redelivery or a replay), and nothing is stored.
    /// </summary>
    Task<bool> ClaimDeliveryAsync(DeliveryRecord delivery, CancellationToken cancellationToken = default);

    /// <summary>What became of a claimed delivery: the session it started (its post-back then waits for it to settle) or why none.</summary>
    Task FinishDeliveryAsync(string id, string outcome, string? detail, string? sessionId, string postbackStatus, CancellationToken cancellationToken = default);

    /// <summary>A trigger's deliveries, newest first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string triggerId, int limit, CancellationToken cancellationToken = default);

    Task<DeliveryRecord?> FindDeliveryAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deliveries whose post-back waited for a session that has now settled (idle, completed, failed or cancelled) become due now; answers how many.</summary>
    Task<int> PromoteSettledAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Post-backs due at or before <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<DeliveryRecord>> DuePostbacksAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>When the next pending post-back is due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Records one attempt at posting back: its new status, when to try again (pending), the error, the comment's address.</summary>
    Task RecordPostbackAsync(string id, string status, DateTimeOffset at, DateTimeOffset? nextDue, string? error, string? url, CancellationToken cancellationToken = default);

    /// <summary>Deliveries left claimed by a server that stopped before their session started: they are marked failed with <paramref name="detail"/>.</summary>
    Task<int> AbandonStartingAsync(string detail, CancellationToken cancellationToken = default);
}

/// <param name="SecretName">The vault secret that holds the signing secret (or GitLab's token).</param>
/// <param name="Rules">JSON: the rules, in order; the first that matches a delivery starts its template.</param>
/// <param name="Postback">JSON: where and how the result is posted back.</param>
public sealed record TriggerRecord(
    string Id, string Name, string Provider, string ProjectId, string OwnerId, string OwnerName, string SecretName,
    string Rules, string Postback, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <param name="DeliveryKey">The provider's delivery id (X-GitHub-Delivery, X-Gitlab-Event-UUID, Idempotency-Key), or the body's hash.</param>
/// <param name="BodyHash">Lowercase hex SHA-256 of the raw body: the same body twice is a replay.</param>
/// <param name="Target">JSON: the issue or merge request to post back to.</param>
public sealed record DeliveryRecord(
    string Id, string TriggerId, string DeliveryKey, string BodyHash, DateTimeOffset ReceivedAt, string Event, string Outcome,
    string? Detail = null, int? RuleIndex = null, string? SessionId = null, string? SourceUrl = null, string? Target = null,
    string PostbackStatus = PostbackStatuses.None, int PostbackAttempts = 0, DateTimeOffset? PostbackDueAt = null,
    string? PostbackError = null, DateTimeOffset? PostbackAt = null, string? PostbackUrl = null);

/// <summary>What a delivery led to.</summary>
public static class DeliveryOutcomes
{
    /// <summary>Claimed; its session is being started.</summary>
    public const string Starting = "starting";
    public const string Started = "started";
    /// <summary>No rule matched (or the event is not one triggers act on).</summary>
    public const string Ignored = "ignored";
    /// <summary>A rule matched but no session could start (the parameters, the owner's rights, the project).</summary>
    public const string Failed = "failed";
}

/// <summary>Where the comment back to the provider stands.</summary>
public static class PostbackStatuses
{
    /// <summary>Nothing to post (no session, or the trigger posts nothing back).</summary>
    public const string None = "none";
    /// <summary>The session has not settled yet.</summary>
    public const string Waiting = "waiting";
    public const string Pending = "pending";
    public const string Sent = "sent";
    /// <summary>Every attempt failed.</summary>
    public const string Dead = "dead";
}
