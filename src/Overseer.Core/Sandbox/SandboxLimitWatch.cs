using Overseer.Contracts.Events;

namespace Overseer.Core.Sandbox;

/// <summary>
/// Looks at the control-group counters of every running sandboxed agent from one loop, four times
/// a second. One timer per agent cost a tenth of a core in wake-ups alone with 180 agents
/// running (a timer, a thread-pool item and an async step per agent per tick); one loop for all
/// of them costs two small reads per agent per tick. The loop runs only while some agent is watched.
/// </summary>
internal sealed class SandboxLimitWatch(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Lock _gate = new();
    private readonly List<Watched> _watched = [];
    private Watched[] _snapshot = [];
    private bool _running;

    /// <summary>
    /// Reports each limit <paramref name="agent"/> reaches until <paramref name="cancellationToken"/>
    /// is cancelled (the task then completes); a report that throws ends its watch with that exception.
    /// </summary>
    public Task WatchAsync(SandboxedAgent agent, Func<AgentLimitReachedData, ValueTask> report, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.CompletedTask;
        var watched = new Watched(this, agent, report);
        bool start;
        lock (_gate)
        {
            _watched.Add(watched);
            _snapshot = [.. _watched];
            start = !_running;
            _running = true;
        }
        watched.Cancellation = cancellationToken.Register(static state => ((Watched)state!).Stop(null), watched);
        if (start)
            _ = Task.Run(LoopAsync, CancellationToken.None);
        return watched.Done.Task;
    }

    private void Remove(Watched watched)
    {
        lock (_gate)
        {
            if (_watched.Remove(watched))
                _snapshot = [.. _watched];
        }
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync())
        {
            Watched[] snapshot;
            lock (_gate)
            {
                if (_watched.Count == 0)
                {
                    _running = false;
                    return;
                }
                snapshot = _snapshot;
            }
            foreach (var watched in snapshot)
            {
                try
                {
                    await watched.Agent.CheckAsync(watched.Report);
                }
                catch (Exception ex)
                {
                    watched.Stop(ex);
                }
            }
        }
    }

    private sealed class Watched(SandboxLimitWatch owner, SandboxedAgent agent, Func<AgentLimitReachedData, ValueTask> report)
    {
        public SandboxedAgent Agent { get; } = agent;

        public Func<AgentLimitReachedData, ValueTask> Report { get; } = report;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }

        /// <summary>Ends this watch: normally when cancelled, with <paramref name="fault"/> when a report threw.</summary>
        public void Stop(Exception? fault)
        {
            owner.Remove(this);
            Cancellation.Dispose();
            if (fault is null)
                Done.TrySetResult();
            else
                Done.TrySetException(fault);
        }
    }
}
