namespace Overseer.TestKit;

/// <summary>
/// Where <c>overseer</c> client commands run in a test: their own HOME and XDG_CONFIG_HOME (so a
/// login lands in a temp directory), NO_COLOR, no inherited OVERSEER_URL/OVERSEER_TOKEN, and a
/// working directory.
/// </summary>
public sealed class CliEnvironment(string home, string? workingDirectory = null)
{
    public string Home { get; } = home;
    public string ConfigDirectory => Path.Combine(Home, ".config", "overseer");
    public string ConfigFile => Path.Combine(ConfigDirectory, "config.json");
    public string WorkingDirectory { get; } = workingDirectory ?? home;

    /// <summary>Extra variables for every command (e.g. OVERSEER_URL); null removes one.</summary>
    public Dictionary<string, string?> Variables { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string?> Environment(IDictionary<string, string?>? extra = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
            ["NO_COLOR"] = "1",
            ["OVERSEER_URL"] = null,
            ["OVERSEER_TOKEN"] = null,
        };
        foreach (var (key, value) in Variables)
            all[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            all[key] = value;
        return all;
    }

    /// <summary>Runs a command to the end: its exit code and everything it printed.</summary>
    public async Task<CliResult> RunAsync(string[] args, string? stdin = null, TimeSpan? timeout = null, IDictionary<string, string?>? environment = null)
    {
        await using var process = CliProcess.Start(this, args, stdin, environment);
        var code = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return new CliResult(code, process.Stdout, process.Stderr);
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    /// <summary>Starts a long-running command (attach, logs --follow) to read as it goes.</summary>
    public CliProcess Start(params string[] args) => CliProcess.Start(this, args, stdin: null, extra: null);
}
