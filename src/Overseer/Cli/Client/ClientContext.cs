using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;

namespace Overseer.Cli.Client;

/// <summary>What a client command works with: the server (connected on first use), id resolution and the console.</summary>
public sealed class ClientContext : IDisposable
{
    private OverseerClient? _client;

    public OverseerClient Client => _client ??= OverseerClient.FromConfig();
    public IdResolver Resolver => new(Client);
    public TextWriter Out { get; } = Console.Out;
    public TextWriter Error { get; } = Console.Error;
    public Ansi Ansi { get; } = Ansi.ForStdout();

    /// <summary>
    /// How wide tables may be: <c>$COLUMNS</c> when set, else the terminal's width, else 80 (a
    /// pipe or a file has no width of its own, and 80 reads anywhere).
    /// </summary>
    public static int Columns =>
        int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns
        : !Console.IsOutputRedirected && Console.WindowWidth > 0 ? Console.WindowWidth
        : 80;

    /// <summary>Indented JSON for <c>--json</c> listings a person may read; JSON lines stay compact.</summary>
    public static OverseerJson IndentedJson { get; } = new(new JsonSerializerOptions(OverseerJson.Default.Options) { WriteIndented = true });

    public Task<string> ResolveAsync(ItemKind kind, string typed, CancellationToken cancellationToken) =>
        Resolver.ResolveAsync(kind, typed, cancellationToken);

    /// <summary>Runs a command's action, turning any <see cref="CliException"/> into one line on stderr and its exit code.</summary>
    public static void SetAction(Command command, Func<ParseResult, ClientContext, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new ClientContext();
            try
            {
                return await action(parse, context, cancellationToken);
            }
            catch (CliException ex)
            {
                await context.Error.WriteLineAsync("overseer: " + ex.Message);
                return ex.ExitCode;
            }
        });
    }

    public void Dispose() => _client?.Dispose();
}
