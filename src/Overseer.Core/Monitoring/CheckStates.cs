using System.Collections.Concurrent;
using Overseer.Storage;

namespace Overseer.Core.Monitoring;

/// <summary>Each check's latest result, in memory (after a restart, the latest stored one until it runs again).</summary>
public sealed class CheckStates
{
    private readonly ConcurrentDictionary<string, CheckState> _states = new(StringComparer.Ordinal);

    public CheckState? Get(string checkId) => _states.GetValueOrDefault(checkId);

    /// <summary>Records a result; answers the status before it (null when the check had none).</summary>
    public string? Set(string checkId, CheckState state)
    {
        string? previous = null;
        _states.AddOrUpdate(checkId, state, (_, old) =>
        {
            previous = old.Status;
            return state;
        });
        return previous;
    }

    public void Seed(IReadOnlyDictionary<string, CheckSample> latest)
    {
        foreach (var (id, sample) in latest)
        {
            _states.TryAdd(id, new CheckState(sample.Ok ? "ok" : "failing",
                new CheckResult(sample.Ok, sample.Value, null, "Last result before Overseer restarted."), sample.At, 0));
        }
    }

    public void Remove(string checkId) => _states.TryRemove(checkId, out _);
}

/// <summary>A check's latest result: ok | failing, what it found, when, and how long it took.</summary>
public sealed record CheckState(string Status, CheckResult Result, DateTimeOffset At, double DurationMs);
