using System.CommandLine;
using Overseer.Hosting;

namespace Overseer.Cli;

/// <summary>The <c>overseer</c> command line: <c>serve</c> runs the server.</summary>
public static class OverseerCli
{
    public static Task<int> RunAsync(string[] args)
    {
        var dataOption = new Option<string>("--data") { Description = "Data directory (database, admin token). Default: ~/.overseer" };
        var urlsOption = new Option<string>("--urls") { Description = $"Address to listen on. Default: {ServeOptions.DefaultUrls}" };
        var serve = new Command("serve", "Run the Overseer server.") { dataOption, urlsOption };
        serve.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeOptions(
                parse.GetValue(dataOption) ?? DataDirectory.Default,
                parse.GetValue(urlsOption) ?? ServeOptions.DefaultUrls);
            return await ServeCommand.RunAsync(options, cancellationToken);
        });

        var urlOption = new Option<string>("--url") { Description = $"The server. Default: {ServeOptions.DefaultUrls}" };
        var tokenOption = new Option<string>("--token") { Description = "API token. Default: the admin token in the data directory" };
        var claudeOption = new Option<string>("--claude") { Description = "The claude executable to look for. Default: claude" };
        var doctor = new Command("doctor", "Check the data directory, the server, the token and the claude CLI.") { urlOption, dataOption, tokenOption, claudeOption };
        doctor.SetAction((parse, cancellationToken) => DoctorCommand.RunAsync(
            parse.GetValue(urlOption) ?? ServeOptions.DefaultUrls,
            parse.GetValue(dataOption) ?? DataDirectory.Default,
            parse.GetValue(tokenOption),
            parse.GetValue(claudeOption) ?? "claude",
            Console.Out,
            cancellationToken));

        var rotate = new Command("rotate-key", "Re-encrypt every secret under a new vault key (stop the server first).") { dataOption };
        rotate.SetAction((parse, cancellationToken) => VaultCommand.RotateKeyAsync(parse.GetValue(dataOption) ?? DataDirectory.Default, Console.Out, Console.Error, cancellationToken));
        var vault = new Command("vault", "Manage the secrets vault.") { rotate };

        var root = new RootCommand("Overseer: a self-hosted control plane for AI coding agents.") { serve, doctor, vault };
        // The web host handles SIGTERM and Ctrl-C itself (graceful shutdown); the parser must not.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
