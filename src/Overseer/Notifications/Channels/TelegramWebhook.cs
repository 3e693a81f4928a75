using Overseer.Auth;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Overseer.Notifications.Channels;

/// <summary>
/// <c>POST /telegram/webhook</c>: where Telegram delivers button presses when the server has a
/// public URL. No sign-in: the request must carry the secret token the server gave Telegram with
/// setWebhook at this start, compared in constant time; anything else is 401.
/// </summary>
internal static class TelegramWebhook
{
    public const string Path = "/telegram/webhook";

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, TelegramUpdates updates, TelegramBot bot) =>
        {
            var given = context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"].ToString();
            if (updates.WebhookSecret is not { } secret || bot.Client is not { } client
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(secret)))
                return Results.Unauthorized();
            Update? update;
            try
            {
                update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted);
            }
            catch (JsonException)
            {
                return Results.BadRequest();
            }
            if (update?.CallbackQuery is { } query)
                await updates.HandleAsync(client, query, context.RequestAborted);
            return Results.Ok();
        }).AllowAnonymous().Public().DisableAntiforgery();
        return app;
    }
}
