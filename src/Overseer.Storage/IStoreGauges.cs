namespace Overseer.Storage;

/// <summary>What the store knows that a metrics scrape reports as gauges: a few counts, read on demand.</summary>
public interface IStoreGauges
{
    StoreGaugeSnapshot Read();
}

/// <param name="SessionsByStatus">Sessions that are not deleted, by wire status.</param>
/// <param name="ApprovalsPending">Approvals waiting for a person.</param>
/// <param name="OldestApprovalRequestedAt">When the oldest of them was asked; null when none waits.</param>
public sealed record StoreGaugeSnapshot(IReadOnlyDictionary<string, long> SessionsByStatus, long ApprovalsPending, DateTimeOffset? OldestApprovalRequestedAt);
