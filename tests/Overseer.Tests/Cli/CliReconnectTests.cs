using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary>The server goes away under an attached client and comes back on the same address.</summary>
public sealed class CliReconnectTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Attach_ServerKilledAndRestarted_ResumesWithNoGapAndNoDuplicate()
    {
        var data = Path.Combine(_temp.Path, "data");
        var projects = _temp.Create("projects");
        var cli = new CliEnvironment(_temp.Create("home"), _temp.Create(Path.Combine("projects", "app")));
        var script = Path.Combine(_temp.Path, "script.json");
        await File.WriteAllTextAsync(script, """[{"say": "before the restart"}]""");

        var first = await ServerProcess.StartAsync(data, projects);
        await using var _ = first;
        cli.Variables["OVERSEER_URL"] = first.Address.ToString();
        cli.Variables["OVERSEER_TOKEN"] = first.Token;
        var run = await cli.RunAsync("run", "go", "--script", script);
        run.ExitCode.ShouldBe(0, run.ToString());
        var sessionId = run.Stdout.Trim();
        await using var attached = cli.Start("attach", sessionId);
        await attached.WaitForOutputAsync("● idle (turn finished)");

        await first.KillAsync();
        await attached.WaitForErrorAsync("reconnecting");
        await using var second = await ServerProcess.StartAsync(data, projects, port: first.Address.Port);
        (await cli.RunAsync("say", sessionId, "after the restart")).ExitCode.ShouldBe(0);
        await attached.WaitForOutputAsync("I received your message: after the restart");
        (await cli.RunAsync("cancel", sessionId)).ExitCode.ShouldBe(0);

        (await attached.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(6, attached.Stderr);
        var logs = await cli.RunAsync("logs", sessionId);
        attached.Stdout.ShouldBe(logs.Stdout);
        attached.Stdout.Split('\n').Count(l => l == "before the restart").ShouldBe(1);
    }

    public void Dispose() => _temp.Dispose();
}
