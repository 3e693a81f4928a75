using System.CommandLine;
using Overseer.Contracts;
using Overseer.Contracts.Cli;
using Overseer.Hosting;

namespace Overseer.Cli.Client;

/// <summary><c>overseer login [url]</c>: checks the URL and token against the server, then stores them for the other commands.</summary>
public static class LoginCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url")
        {
            Description = $"The server. Default: ${ClientConfigStore.UrlVariable}, else the local server ({ServeOptions.DefaultUrls}, where 'overseer serve' listens)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var token = new Option<string>("--token") { Description = "API token. Default: read from stdin when it is piped, else asked for without echo" };
        var command = new Command("login", "Verify a server URL and API token and save them for the other commands.") { url, token };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var address = (parse.GetValue(url)
                ?? (Environment.GetEnvironmentVariable(ClientConfigStore.UrlVariable) is { Length: > 0 } variable ? variable : ServeOptions.DefaultUrls)).TrimEnd('/');
            var secret = parse.GetValue(token) ?? await ReadTokenAsync(context, cancellationToken);
            if (string.IsNullOrWhiteSpace(secret))
                throw new CliException(ExitCodes.Usage, "no token given (--token, stdin, or type it when asked)");
            var config = new ClientConfig(address, secret.Trim());
            using (var client = new OverseerClient(config))
            {
                try
                {
                    await client.GetAsync("api/stats", OverseerJson.Default.StatsDto, cancellationToken);
                }
                catch (CliException ex) when (ex.ExitCode == ExitCodes.Auth)
                {
                    throw new CliException(ExitCodes.Auth, $"the server at {address} refused the token; nothing was saved");
                }
            }
            await ClientConfigStore.SaveAsync(config, cancellationToken);
            await context.Out.WriteLineAsync($"Logged in to {address}; saved to {ClientConfigStore.FilePath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string?> ReadTokenAsync(ClientContext context, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
            return await Console.In.ReadLineAsync(cancellationToken);
        ConsoleInput.TakeOverEcho();
        await context.Out.WriteAsync("API token: ");
        return await ConsoleInput.ReadSecretAsync(cancellationToken);
    }
}
