using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Storage.Notifications;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Overseer.Notifications.Channels;

/// <summary>
/// Receives the bot's button presses and decides them: by long-polling <c>getUpdates</c>, or,
/// when <c>Notifications:PublicUrl</c> is set, through a webhook at <c>/telegram/webhook</c> that
/// Telegram calls with a secret token made at each start (<see cref="TelegramWebhook"/>). A press counts only from the
/// person whose private chat a channel names (Telegram vouches for <c>from.id</c>): that
/// channel's user decides, through the same checks and calls as an action link.
/// </summary>
internal sealed partial class TelegramUpdates(
    TelegramBot bot,
    INotificationStore store,
    ItemDecisions decisions,
    Storage.IReadModel readModel,
    IOptions<NotificationOptions> options,
    ILogger<TelegramUpdates> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (bot.Client is not { } client)
            return;
        var failures = 0;
        if (options.Value.PublicUrl is { } publicUrl)
        {
            WebhookSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await client.SetWebhook(publicUrl.TrimEnd('/') + TelegramWebhook.Path, allowedUpdates: [UpdateType.CallbackQuery], secretToken: WebhookSecret, cancellationToken: stoppingToken);
                    return;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    PollFailed(logger, ex);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), stoppingToken);
                }
            }
            return;
        }
        // A webhook left from an earlier start with a public URL would make getUpdates fail (409).
        await client.DeleteWebhook(cancellationToken: stoppingToken);
        int? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var updates = await client.GetUpdates(offset, 100, (int)options.Value.Telegram.PollTimeout.TotalSeconds, [UpdateType.CallbackQuery], stoppingToken);
                failures = 0;
                foreach (var update in updates)
                {
                    offset = update.Id + 1;
                    if (update.CallbackQuery is { } query)
                        await HandleAsync(client, query, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                PollFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, failures))), stoppingToken);
            }
        }
    }

    /// <summary>The token Telegram must send with each webhook call (X-Telegram-Bot-Api-Secret-Token); null in long-polling mode.</summary>
    public string? WebhookSecret { get; private set; }

    public async Task HandleAsync(ITelegramBotClient client, CallbackQuery query, CancellationToken cancellationToken)
    {
        var answer = await DecideAsync(query, cancellationToken);
        await client.AnswerCallbackQuery(query.Id, answer, showAlert: false, cancellationToken: cancellationToken);
    }

    private async Task<string> DecideAsync(CallbackQuery query, CancellationToken cancellationToken)
    {
        var channels = await store.ListChannelsAsync(null, cancellationToken);
        var channel = channels.FirstOrDefault(c => c.Type == ChannelTypes.Telegram && c.Enabled
            && JsonSerializer.Deserialize(c.Target, NotificationJson.Default.ChannelTarget)?.ChatId == query.From.Id);
        if (channel is null)
            return "This chat is not linked to an Overseer user.";
        if (Parse(query.Data, channel.UserId) is not { } claim)
            return "Unknown button.";
        if (claim.Option is { } option && int.TryParse(option, out var index))
        {
            // The button carries the option's index (callback data is at most 64 bytes); the answer is its label.
            var question = await readModel.GetQuestionAsync(claim.ItemId, cancellationToken);
            if (question is not { Questions.Count: 1 } || index < 0 || index >= question.Questions[0].Options.Count)
                return "This question has no such option any more.";
            claim = claim with { Option = question.Questions[0].Options[index].Label };
        }
        var result = await decisions.DecideAsync(claim, null, cancellationToken);
        return result.Succeeded
            ? claim.Action switch { "approve" => "Approved.", "deny" => "Denied.", _ => $"Answered “{claim.Option}”." }
            : result.Message ?? "Refused.";
    }

    /// <summary>Button data: <c>a:ID</c> approve, <c>d:ID</c> deny, <c>q:ID:N</c> the Nth option.</summary>
    private static ActionClaim? Parse(string? data, string userId)
    {
        var parts = data?.Split(':') ?? [];
        return parts switch
        {
            ["a", var id] => new ActionClaim("approval", id, userId, "approve", null, 0, ""),
            ["d", var id] => new ActionClaim("approval", id, userId, "deny", null, 0, ""),
            ["q", var id, var n] when int.TryParse(n, out var index) => new ActionClaim("question", id, userId, "answer", index.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, ""),
            _ => null,
        };
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "A Telegram Bot API call (getUpdates or setWebhook) failed; trying again after a pause")]
    private static partial void PollFailed(ILogger logger, Exception exception);
}
