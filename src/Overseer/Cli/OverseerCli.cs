using System.CommandLine;
using Overseer.Cli.Client;
using Overseer.Hosting;

namespace Overseer.Cli;

/// <summary>The <c>overseer</c> command line: <c>serve</c> runs the server; the client commands (docs/cli.md) talk to one.</summary>
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

        var urlOption = new Option<string>("--url") { Description = $"The server. Default: the login (overseer login), else {ServeOptions.DefaultUrls}" };
        var tokenOption = new Option<string>("--token") { Description = "API token. Default: the login's, else the admin token in the data directory" };
        var claudeOption = new Option<string>("--claude") { Description = "The claude executable to look for. Default: claude" };
        var doctor = new Command("doctor", "Check the data directory, the server, the token, each runtime (the claude CLI; the API runtimes' key, endpoint and model) and the sandbox.") { urlOption, dataOption, tokenOption, claudeOption };
        doctor.SetAction((parse, cancellationToken) => DoctorCommand.RunAsync(
            parse.GetValue(urlOption),
            parse.GetValue(dataOption),
            parse.GetValue(tokenOption),
            parse.GetValue(claudeOption) ?? "claude",
            Console.Out,
            cancellationToken));

        var rotate = new Command("rotate-key", "Re-encrypt every secret under a new vault key (stop the server first).") { dataOption };
        rotate.SetAction((parse, cancellationToken) => VaultCommand.RotateKeyAsync(parse.GetValue(dataOption) ?? DataDirectory.Default, Console.Out, Console.Error, cancellationToken));
        var vault = new Command("vault", "Manage the secrets vault.") { rotate };

        var root = new RootCommand("Overseer: a self-hosted control plane for AI coding agents.") { serve, doctor, vault };
        foreach (var command in ClientCommands.Create())
            root.Subcommands.Add(command);
        // Bare `overseer` shows what it can do rather than a "required command" error.
        var parsed = root.Parse(args.Length == 0 ? ["--help"] : args);
        // Usage errors exit 2 (1 means the server or the API said no), with one line and a pointer to --help.
        if (parsed.Errors.Count > 0 && parsed.Action is System.CommandLine.Invocation.ParseErrorAction)
        {
            var message = UnknownCommand.Describe(parsed) ?? parsed.Errors[0].Message;
            Console.Error.WriteLine($"overseer: {message} (see '{CommandPath(parsed.CommandResult)} --help')");
            return Task.FromResult(Client.ExitCodes.Usage);
        }
        // The web host handles SIGTERM and Ctrl-C itself (graceful shutdown), and attach its own
        // Ctrl-C (detach, or interrupt on a second); the parser must not.
        return parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>"overseer projects add": the words that led to the command, whatever the executable is called.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, current.Parent is null ? "overseer" : current.Command.Name);
        return string.Join(' ', names);
    }
}
