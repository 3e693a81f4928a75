using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>overseer runtimes</c>: the runtimes the server offers (<c>run --runtime</c> takes their names),
/// each with its readiness as <c>/health</c> reports it, the server's default first.
/// </summary>
public static class RuntimesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("runtimes", "List the server's runtimes and whether each can run sessions (key, endpoint, model).") { json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var health = await context.Client.GetAsync("health", OverseerJson.Default.HealthDto, cancellationToken);
            var runtimes = health.Runtimes
                .OrderByDescending(r => r.Key == health.DefaultRuntime)
                .ThenBy(r => r.Key, StringComparer.Ordinal)
                .ToList();
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(health.Runtimes, ClientContext.IndentedJson.IReadOnlyDictionaryStringString));
                return ExitCodes.Ok;
            }
            var table = new TextTable("NAME", "STATUS", "DETAIL").Flexible("DETAIL");
            foreach (var (name, detail) in runtimes)
            {
                var available = detail.StartsWith("available", StringComparison.Ordinal);
                var words = detail[(detail.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                table.Add(name + (name == health.DefaultRuntime ? " (default)" : ""), available ? "ready" : "unavailable", words);
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });
        return command;
    }
}
