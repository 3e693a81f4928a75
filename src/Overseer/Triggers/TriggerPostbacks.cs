using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Core.Secrets;
using Overseer.Storage;
using Overseer.Storage.Triggers;

namespace Overseer.Triggers;

/// <summary>
/// Posts each triggered session's result back to its issue or merge request once the session
/// settles. Durable: what waits, what is due and every attempt live in the database, so a restart
/// picks up where the last run stopped. Failures are retried with exponential backoff until
/// Triggers:MaxAttempts, then the post-back is dead (the deliveries list says why). Sessions never
/// wait on any of this.
/// </summary>
internal sealed partial class TriggerPostbacks(
    ITriggerStore store,
    IReadModel readModel,
    PostbackComment comments,
    ProviderClient client,
    SecretVault vault,
    PostbackSignal signal,
    IOptions<TriggerOptions> options,
    TimeProvider time,
    ILogger<TriggerPostbacks> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before any hook is taken: a claim left "starting" belongs to a server that stopped mid-start.
        if (await store.AbandonStartingAsync("The server stopped before the session started; the provider can redeliver it.", cancellationToken) is > 0 and var abandoned)
            Abandoned(logger, abandoned);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = Poll;
                try
                {
                    await store.PromoteSettledAsync(time.GetUtcNow(), stoppingToken);
                    foreach (var delivery in await store.DuePostbacksAsync(time.GetUtcNow(), 50, stoppingToken))
                        await PostAsync(delivery, stoppingToken);
                    if (await store.NextDueAsync(stoppingToken) is { } next)
                    {
                        var until = next - time.GetUtcNow();
                        wait = until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : until < Poll ? until : Poll;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    PassFailed(logger, ex);
                    wait = TimeSpan.FromSeconds(1);
                }
                await signal.WaitAsync(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PostAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var trigger = await store.FindAsync(delivery.TriggerId, cancellationToken);
        var postback = trigger is null ? null : TriggerCatalog.Postback(trigger);
        var target = delivery.Target is null ? null : JsonSerializer.Deserialize(delivery.Target, TriggerJson.Default.PostbackTarget);
        if (postback is not { Comment: true, ApiBaseUrl: { } baseUrl, TokenSecret: { } tokenSecret } || target is null || delivery.SessionId is null)
        {
            // The trigger stopped posting back (or is gone) since the delivery: nothing to send.
            await store.RecordPostbackAsync(delivery.Id, PostbackStatuses.None, time.GetUtcNow(), null, "The trigger no longer posts results back.", null, CancellationToken.None);
            return;
        }
        try
        {
            var session = await readModel.GetSessionAsync(delivery.SessionId, cancellationToken) ?? throw new PostbackException($"Session {delivery.SessionId} no longer exists.");
            var token = await vault.GetValueAsync(tokenSecret, cancellationToken)
                ?? throw new PostbackException($"The vault has no secret named '{tokenSecret}' (the API token); store it with PUT /api/secrets/{tokenSecret}.");
            var body = await comments.WriteAsync(trigger!.Id, session, postback.IncludeBranch != false, options.Value.MaxSummaryChars, cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(options.Value.SendTimeout);
            string? url;
            try
            {
                url = await client.CommentAsync(baseUrl, token, target, body, delivery.SourceUrl, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new PostbackException($"No answer within {options.Value.SendTimeout.TotalSeconds:0.#} s.");
            }
            await store.RecordPostbackAsync(delivery.Id, PostbackStatuses.Sent, time.GetUtcNow(), null, null, url, CancellationToken.None);
            Posted(logger, delivery.Id, delivery.SessionId, url ?? "(no address)");
        }
        catch (PostbackException ex)
        {
            var attempt = delivery.PostbackAttempts + 1;
            var dead = attempt >= options.Value.MaxAttempts;
            var next = time.GetUtcNow() + Backoff(attempt);
            await store.RecordPostbackAsync(delivery.Id, dead ? PostbackStatuses.Dead : PostbackStatuses.Pending, time.GetUtcNow(), dead ? null : next, ex.Message, null, CancellationToken.None);
            if (dead)
                WentDead(logger, delivery.Id, attempt, ex.Message);
            else
                WillRetry(logger, delivery.Id, attempt, next, ex.Message);
        }
    }

    private TimeSpan Backoff(int attempt) => Hosting.Backoff.After(attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Information, Message = "Trigger delivery {DeliveryId}: session {SessionId}'s result posted at {Url}")]
    private static partial void Posted(ILogger logger, string deliveryId, string sessionId, string url);

    [LoggerMessage(EventId = 7112, Level = LogLevel.Warning, Message = "Trigger delivery {DeliveryId}: posting the result back failed (attempt {Attempt}); retrying at {Next:u}: {Detail}")]
    private static partial void WillRetry(ILogger logger, string deliveryId, int attempt, DateTimeOffset next, string detail);

    [LoggerMessage(EventId = 7113, Level = LogLevel.Warning, Message = "Trigger delivery {DeliveryId}: posting the result back gave up after {Attempt} attempts: {Detail}")]
    private static partial void WentDead(ILogger logger, string deliveryId, int attempt, string detail);

    [LoggerMessage(EventId = 7114, Level = LogLevel.Error, Message = "The trigger post-back worker failed; it tries again")]
    private static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7115, Level = LogLevel.Warning, Message = "{Count} trigger deliveries were being started when the server stopped; they are marked failed")]
    private static partial void Abandoned(ILogger logger, int count);
}
