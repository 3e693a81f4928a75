using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>overseer token create|ls|revoke</c>: API tokens of the signed-in user. <c>create</c> prints
/// the token alone on stdout (so <c>$(overseer token create ci)</c> captures it) and what it made
/// on stderr; the token is never shown again.
/// </summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "What the token is for (shown in lists and the audit)" };
        var role = new Option<string>("--role") { Description = "Its ceiling: owner, admin, operator or viewer (read-only). Default: your role" };
        var days = new Option<int?>("--expires-in-days") { Description = "Expire after this many days. Default: never" };
        var at = new Option<DateTimeOffset?>("--expires-at") { Description = "Expire at this time (ISO 8601)" };
        var create = new Command("create", "Create a token and print it (once).") { name, role, days, at };
        ClientContext.SetAction(create, async (parse, context, cancellationToken) =>
        {
            var created = await context.Client.PostAsync("api/tokens",
                new CreateTokenRequest(parse.GetValue(name), parse.GetValue(role), parse.GetValue(at), parse.GetValue(days)),
                OverseerJson.Default.CreateTokenRequest, OverseerJson.Default.CreatedTokenDto, cancellationToken);
            await context.Out.WriteLineAsync(created.Token);
            var info = created.Info;
            await context.Error.WriteLineAsync(
                $"Created {info.Id} '{info.Name}' ({info.Role}{(info.ExpiresAt is { } e ? ", expires " + Format.Time(e) : ", no expiry")}). This is the only time it is shown.");
            return ExitCodes.Ok;
        });

        var all = new Option<bool>("--all") { Description = "Everyone's tokens (owners only)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var ls = new Command("ls", "List your tokens (never their secrets).") { all, json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var tokens = (await context.Client.GetAsync(parse.GetValue(all) ? "api/tokens?all=true" : "api/tokens",
                OverseerJson.Default.ListResponseTokenDto, cancellationToken)).Items;
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(tokens, ClientContext.IndentedJson.IReadOnlyListTokenDto));
                return ExitCodes.Ok;
            }
            var now = DateTimeOffset.UtcNow;
            var table = new TextTable("ID", "NAME", "USER", "ROLE", "EXPIRES", "LAST USED", "STATUS").Flexible("NAME", "USER");
            foreach (var t in tokens)
            {
                table.Add(t.Id, t.Name, t.UserName ?? t.UserId, t.Role,
                    t.ExpiresAt is { } e ? Format.Time(e)[..10] : "never",
                    t.LastUsedAt is { } used ? Format.Age(used, now) + " ago" : "never",
                    t.RevokedAt is not null ? "revoked" : t.ExpiresAt <= now ? "expired" : "active");
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The token's id (t_...), as 'overseer token ls' shows it" };
        var revoke = new Command("revoke", "Revoke a token: it is refused at once and its open streams close.") { id };
        ClientContext.SetAction(revoke, async (parse, context, cancellationToken) =>
        {
            var tokenId = parse.GetValue(id)!;
            await context.Client.DeleteAsync($"api/tokens/{Uri.EscapeDataString(tokenId)}", cancellationToken);
            await context.Out.WriteLineAsync($"Revoked {tokenId}");
            return ExitCodes.Ok;
        });

        return new Command("token", "Create, list and revoke API tokens.") { create, ls, revoke };
    }
}
