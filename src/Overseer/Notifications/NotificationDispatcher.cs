using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Notifications.Channels;
using Overseer.Storage;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// Delivers notifications in the background: fans the outbox out, then sends what is due, each
/// channel on its own task so a slow or failing one delays nobody else (sessions never wait on
/// any of it). A session's notifications reach a channel at most once per batch window; what
/// arrives meanwhile goes out together. Failures are retried with exponential backoff until
/// <see cref="NotificationOptions.MaxAttempts"/>, then the notification is dead until redelivered.
/// Delivery is at least once: a crash after a send and before its record repeats it with the same
/// idempotency key.
/// </summary>
internal sealed partial class NotificationDispatcher(
    INotificationStore store,
    NotificationFanOut fanOut,
    NotificationContent content,
    IUserStore users,
    IEnumerable<IChannelSender> senders,
    NotificationSignal signal,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DueMargin = TimeSpan.FromMilliseconds(15);
    private readonly ConcurrentDictionary<string, Task> _sending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IChannelSender> _senders = senders.ToDictionary(s => s.Type, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = Poll;
                try
                {
                    while (await fanOut.RunAsync(stoppingToken) > 0)
                    {
                    }
                    await StartDueAsync(stoppingToken);
                    if (await store.NextDueAsync(stoppingToken) is { } next)
                    {
                        var until = next - time.GetUtcNow();
                        // Due already: its channel is busy, and wakes us when it is done. Otherwise a
                        // little past its time: a timer may fire a hair early, and a retry that is not
                        // yet due when we look would then wait for the busy-channel second.
                        wait = until <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : until < Poll ? until + DueMargin : Poll;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    DispatchFailed(logger, ex);
                    wait = TimeSpan.FromSeconds(1);
                }
                await signal.WaitAsync(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_sending.Values);
        }
    }

    private async Task StartDueAsync(CancellationToken cancellationToken)
    {
        var due = await store.DueAsync(time.GetUtcNow(), 500, cancellationToken);
        foreach (var group in due.GroupBy(n => n.ChannelId))
        {
            var rows = group.ToList();
            if (_sending.ContainsKey(group.Key))
                continue;
            _sending[group.Key] = SendChannelAsync(group.Key, rows, cancellationToken);
        }
    }

    private async Task SendChannelAsync(string channelId, List<NotificationRecord> rows, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var channel = await store.FindChannelAsync(channelId, cancellationToken);
            if (channel is null)
                return;
            var user = await users.FindAsync(channel.UserId, cancellationToken);
            var target = JsonSerializer.Deserialize(channel.Target, NotificationJson.Default.ChannelTarget)!;
            foreach (var session in rows.GroupBy(r => r.SessionId))
                await SendBatchAsync(channel, user?.Name ?? channel.UserId, target, [.. session], cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            DispatchFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _sending.TryRemove(channelId, out _);
            signal.Wake();
        }
    }

    private async Task SendBatchAsync(NotificationChannelRecord channel, string userName, ChannelTarget target, List<NotificationRecord> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = rows.Select(r => r.Id).ToList();
        if (rows.All(r => r.Attempts == 0) && await store.LastSentAsync(channel.Id, rows[0].SessionId, cancellationToken) is { } last
            && now < last + options.Value.BatchWindow)
        {
            await store.DeferAsync(ids, last + options.Value.BatchWindow, cancellationToken);
            return;
        }
        var items = new List<NotificationItem>();
        var sending = new List<NotificationRecord>();
        foreach (var row in rows.OrderBy(r => r.CreatedAt))
        {
            if (await content.DescribeAsync(row, cancellationToken) is { } item)
            {
                items.Add(item);
                sending.Add(row);
            }
            else
            {
                await store.RecordAttemptAsync([row.Id], new DeliveryAttempt(row.Id, now, "dropped", "Decided before it went out.", 0), NotificationStatuses.Dropped, null, cancellationToken);
            }
        }
        if (items.Count == 0)
            return;
        // The oldest notification's id: the same on every attempt at this batch, and after a restart.
        var key = sending[0].Id;
        var title = items.Count == 1 ? items[0].Title : $"{items.Count} updates from session {rows[0].SessionId}";
        var message = new NotificationMessage(key, userName, title, items, now);
        var attempt = sending.Max(r => r.Attempts) + 1;
        var clock = Stopwatch.StartNew();
        try
        {
            if (!_senders.TryGetValue(channel.Type, out var sender))
                throw new DeliveryException($"No sender for channel type '{channel.Type}'.");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.SendTimeout);
            try
            {
                await sender.SendAsync(channel, target, message, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DeliveryException($"No answer within {options.Value.SendTimeout.TotalSeconds:0.#} s.");
            }
            await store.RecordAttemptAsync([.. sending.Select(r => r.Id)], new DeliveryAttempt(key, time.GetUtcNow(), "delivered", null, clock.ElapsedMilliseconds),
                NotificationStatuses.Sent, null, CancellationToken.None);
            Delivered(logger, key, channel.Id, channel.Type, items.Count);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = ex is DeliveryException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            var dead = attempt >= options.Value.MaxAttempts;
            var next = time.GetUtcNow() + Backoff(attempt);
            await store.RecordAttemptAsync([.. sending.Select(r => r.Id)], new DeliveryAttempt(key, time.GetUtcNow(), "failed", detail, clock.ElapsedMilliseconds),
                dead ? NotificationStatuses.Dead : NotificationStatuses.Pending, dead ? null : next, CancellationToken.None);
            if (dead)
                WentDead(logger, key, channel.Id, attempt, detail);
            else
                WillRetry(logger, key, channel.Id, attempt, next, detail);
        }
    }

    private TimeSpan Backoff(int attempt) => Hosting.Backoff.After(attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Notification {Key} delivered on channel {ChannelId} ({Type}, {Count} item(s))")]
    private static partial void Delivered(ILogger logger, string key, string channelId, string type, int count);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Notification {Key} on channel {ChannelId} failed (attempt {Attempt}); retrying at {Next:u}: {Detail}")]
    private static partial void WillRetry(ILogger logger, string key, string channelId, int attempt, DateTimeOffset next, string detail);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Notification {Key} on channel {ChannelId} is dead after {Attempt} attempts: {Detail}")]
    private static partial void WentDead(ILogger logger, string key, string channelId, int attempt, string detail);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "The notification dispatcher failed; it tries again")]
    private static partial void DispatchFailed(ILogger logger, Exception exception);
}
