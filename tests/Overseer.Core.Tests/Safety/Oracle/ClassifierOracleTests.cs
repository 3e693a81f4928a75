using System.Diagnostics;
using System.Text.Json;
using Overseer.Core.Safety.Policy;
using Xunit.Abstractions;

namespace Overseer.Core.Tests.Safety.Oracle;

/// <summary>
/// The differential oracle: every command of oracle-corpus.txt runs for real in a throwaway bubblewrap sandbox,
/// its effects are observed, and the classifier's tier must be at least what those effects require.
/// </summary>
public sealed class ClassifierOracleTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Classify_EveryCorpusCommandRunInASandbox_IsAtLeastAsSevereAsItsObservedEffect()
    {
        File.Exists(OracleSandbox.Bwrap).ShouldBeTrue($"the classifier oracle needs bubblewrap at {OracleSandbox.Bwrap} (apt-get install bubblewrap); it is never skipped");
        var corpus = ReadCorpus();
        corpus.Count.ShouldBeGreaterThanOrEqualTo(300, "the oracle corpus should cover at least 300 commands");
        using var temp = new TempDirectory();
        var template = Path.Combine(temp.Path, "template");
        OracleWorld.CreateGitTemplate(template);
        var engine = new PolicyEngine(PolicyLoader.Default);
        var clock = Stopwatch.StartNew();
        var results = new (string Command, PolicyDecision Decision, OracleEffects Effects, bool TimedOut)[corpus.Count];

        await Parallel.ForEachAsync(Enumerable.Range(0, corpus.Count), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            var world = OracleWorld.Create(Path.Combine(temp.Path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), template);
            var command = Expand(corpus[i], world);
            var decision = Classify(engine, world, command);
            var outsideBefore = FileSnapshot.Take(world.Observed, world.Project);
            var projectBefore = FileSnapshot.Take([world.Project]);
            var outsideFiles = OracleEffects.OutsideFiles(world);
            var (text, timedOut) = await OracleSandbox.RunAsync(world, command, CommandTimeout);
            results[i] = (corpus[i], decision, OracleEffects.Observe(world, text, outsideBefore, projectBefore, outsideFiles), timedOut);
            Delete(world.Root);
        });

        var underRated = results.Where(r => r.Decision.Tier < r.Effects.Required).ToList();
        output.WriteLine($"{corpus.Count} commands in {clock.Elapsed.TotalSeconds:F1} s; {results.Count(r => r.Effects.Required > Tier.Green)} had an effect; {results.Count(r => r.TimedOut)} timed out; {underRated.Count} under-rated");
        // Not a failure (the sandbox has no network and no real targets for some commands), but worth a look.
        foreach (var r in results.Where(r => r.Effects.Required == Tier.Green && r.Decision.Tier >= Tier.Red))
            output.WriteLine($"no visible effect but {r.Decision.Tier.ToWire()}: {r.Command} [{r.Decision.Rule}]");
        foreach (var r in results.Where(r => r.TimedOut))
            output.WriteLine($"timed out: {r.Command}");
        foreach (var r in results.Where(r => r.Effects.Required > Tier.Green && r.Decision.Tier >= r.Effects.Required))
            output.WriteLine($"ok {r.Decision.Tier.ToWire()} >= {r.Effects.Required.ToWire()}: {r.Command}");
        var report = string.Join('\n', underRated.Select(r =>
            $"{r.Decision.Tier.ToWire()} < {r.Effects.Required.ToWire()}: {r.Command}\n    observed: {string.Join("; ", r.Effects.Describe())}\n    classifier: {r.Decision.Reason} [{r.Decision.Rule}]"));
        underRated.ShouldBeEmpty($"{underRated.Count} of {corpus.Count} commands are rated below what they did in the sandbox:\n{report}");
    }

    private static List<string> ReadCorpus()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Safety", "Oracle", "oracle-corpus.txt");
        return [.. File.ReadAllLines(path).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))];
    }

    /// <summary>{project}, {home}, {data}, {outside} name this world's directories; {outside-rel} is the outside directory without its leading slash.</summary>
    private static string Expand(string line, OracleWorld world) => line
        .Replace("{project}", world.Project, StringComparison.Ordinal)
        .Replace("{home}", world.Home, StringComparison.Ordinal)
        .Replace("{data}", world.Data, StringComparison.Ordinal)
        .Replace("{outside-rel}", world.Outside.TrimStart('/'), StringComparison.Ordinal)
        .Replace("{outside}", world.Outside, StringComparison.Ordinal);

    private static PolicyDecision Classify(PolicyEngine engine, OracleWorld world, string command)
    {
        using var input = JsonDocument.Parse(JsonSerializer.Serialize(new { command }));
        return engine.Evaluate("Bash", input.RootElement.Clone(), new PolicyContext(world.Project, world.Data, world.Home));
    }

    private static void Delete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            MakeDeletable(root);
            Directory.Delete(root, recursive: true);
        }
    }

    // A command may leave read-only directories behind (chmod); without root they must be made writable to go away.
    private static void MakeDeletable(string root)
    {
        if (OperatingSystem.IsWindows())
            return;
        foreach (var directory in Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            if (new DirectoryInfo(directory).LinkTarget is null)
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
