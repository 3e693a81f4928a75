using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer user add|ls|rm|passwd</c>: people, for owners. A password never comes from the command line.</summary>
public static class UserCommands
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The user's name (letters, digits, . _ - @)" };
        var role = new Option<string>("--role") { Description = $"owner, admin, operator or viewer. Default: {Roles.Viewer}", DefaultValueFactory = _ => Roles.Viewer };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var add = new Command("add", "Add a user (set a password with 'overseer user passwd').") { name, role };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var user = await context.Client.PostAsync("api/users", new CreateUserRequest(parse.GetValue(name), parse.GetValue(role), null),
                OverseerJson.Default.CreateUserRequest, OverseerJson.Default.UserDto, cancellationToken);
            await context.Out.WriteLineAsync(user.Id);
            return ExitCodes.Ok;
        });

        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var ls = new Command("ls", "List users.") { json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var users = await ListAsync(context.Client, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(users, ClientContext.IndentedJson.ListResponseUserDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "NAME", "ROLE", "PASSWORD", "STATE").Flexible("NAME");
            foreach (var u in users.Items)
                table.Add(u.Id, u.Name, u.Role, u.HasPassword ? "set" : "none", u.DisabledAt is null ? "enabled" : "disabled");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var who = new Argument<string>("user") { Description = "User id or name" };
        var rm = new Command("rm", "Remove a user: their memberships go and their tokens stop working.") { who };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var id = await ResolveAsync(context.Client, parse.GetValue(who)!, cancellationToken);
            await context.Client.DeleteAsync($"api/users/{id}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {id}");
            return ExitCodes.Ok;
        });

        var passwdUser = new Argument<string>("user") { Description = "User id or name" };
        var passwd = new Command("passwd", "Set a user's password: typed at the terminal without echo (twice), or one line on stdin when piped.") { passwdUser };
        ClientContext.SetAction(passwd, async (parse, context, cancellationToken) =>
        {
            var id = await ResolveAsync(context.Client, parse.GetValue(passwdUser)!, cancellationToken);
            var password = await ReadPasswordAsync(context, cancellationToken);
            await context.Client.SendJsonAsync(HttpMethod.Put, $"api/users/{id}/password", new SetPasswordRequest(password), OverseerJson.Default.SetPasswordRequest, cancellationToken);
            await context.Out.WriteLineAsync($"Password set for {id}");
            return ExitCodes.Ok;
        });

        return new Command("user", "Manage users (owners).") { add, ls, rm, passwd };
    }

    private static Task<ListResponse<UserDto>> ListAsync(OverseerClient client, CancellationToken cancellationToken) =>
        client.GetAsync("api/users", OverseerJson.Default.ListResponseUserDto, cancellationToken);

    /// <summary>An id as given (<c>u_…</c>), else the user with that name.</summary>
    public static async Task<string> ResolveAsync(OverseerClient client, string typed, CancellationToken cancellationToken)
    {
        if (typed.StartsWith("u_", StringComparison.Ordinal))
            return typed;
        var users = await ListAsync(client, cancellationToken);
        return users.Items.FirstOrDefault(u => string.Equals(u.Name, typed, StringComparison.OrdinalIgnoreCase))?.Id
            ?? throw new CliException(ExitCodes.NotFound, $"no user is named '{typed}'");
    }

    private static async Task<string> ReadPasswordAsync(ClientContext context, CancellationToken cancellationToken)
    {
        if (!ConsoleInput.Interactive)
            return await ConsoleInput.ReadLineAsync(cancellationToken) is { Length: > 0 } piped
                ? piped
                : throw new CliException(ExitCodes.Usage, "no password on stdin");
        ConsoleInput.TakeOverEcho();
        await context.Error.WriteAsync("New password: ");
        var first = await ConsoleInput.ReadSecretAsync(cancellationToken);
        await context.Error.WriteAsync("Again: ");
        var second = await ConsoleInput.ReadSecretAsync(cancellationToken);
        return first == second ? first : throw new CliException(ExitCodes.Usage, "the two passwords differ; nothing was changed");
    }
}
