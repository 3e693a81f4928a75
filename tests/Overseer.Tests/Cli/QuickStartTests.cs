using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary>
/// The README's quick start, as written, pasted twice into bash: its client steps (the second
/// block; the first starts the server, which the fixture has done) run against this server, and a
/// person approves and answers what the demo asks for from another shell (here, the API).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class QuickStartTests(CliFixture fixture)
{
    private static string ClientSteps()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        var blocks = section.Split("```sh\n")[1..].Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]).ToList();
        return blocks[1];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Overseer.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("The tests do not run from inside the repository.");
    }

    [Fact]
    public async Task QuickStart_PastedTwice_RunsTheDemoThroughItsApprovalAndQuestionBothTimes()
    {
        // The home is inside the server's allowed project root, as ~ is for a real server.
        var home = fixture.NewProjectDir();
        var steps = ClientSteps().Replace("/tmp/overseer-demo", fixture.Server.DataDir, StringComparison.Ordinal);
        var script = $"set -u\noverseer() {{ dotnet {PtyCliProcess.ShellQuote(ServerProcess.ExecutablePath)} \"$@\"; }}\n{steps}";
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var first = await PasteAsync(script, home, seen);
        var second = await PasteAsync(script, home, seen);

        first.ShouldNotBe(second);
        var projects = JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/projects")).RootElement.GetProperty("items").EnumerateArray()
            .Where(p => p.GetProperty("path").GetString() == Path.Combine(home, "overseer-demo-project")).ToList();
        projects.Count.ShouldBe(1);
        foreach (var id in new[] { first, second })
        {
            var session = await fixture.Client.GetSessionAsync(id);
            session.Status.ShouldBe(SessionStatus.Idle);
            session.ProjectId.ShouldBe(projects[0].GetProperty("id").GetString());
        }
    }

    /// <summary>Runs the steps in bash, deciding what the demo waits for; answers the session it started.</summary>
    private async Task<string> PasteAsync(string script, string home, HashSet<string> seen)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = home };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var (key, value) in new CliEnvironment(home).Environment(new Dictionary<string, string?> { ["OVERSEER_URL"] = fixture.Server.Address.ToString() }))
        {
            if (value is null)
                start.Environment.Remove(key);
            else
                start.Environment[key] = value;
        }
        using var bash = Process.Start(start)!;
        bash.StandardInput.Close();
        var output = new StringBuilder();
        var reading = Task.WhenAll(Copy(bash.StandardOutput), Copy(bash.StandardError));

        var sessionId = await Poll.UntilAsync(() => NewDemoSessionAsync(seen), id => id is not null, TimeSpan.FromSeconds(60), "the quick start's session");
        seen.Add(sessionId!);
        var approval = await PendingAsync("approvals", sessionId!);
        approval.GetProperty("tier").GetString().ShouldBe("ORANGE");
        (await fixture.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();
        var question = await PendingAsync("questions", sessionId!);
        (await fixture.Client.PostJsonAsync($"/api/questions/{question.GetProperty("id").GetString()}/answer",
            """{"answers": {"Which part should I focus on first?": "Tests"}}""")).EnsureSuccessStatusCode();

        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await reading;
        bash.ExitCode.ShouldBe(0, output.ToString());
        var text = output.ToString();
        text.ShouldContain("Logged in to " + fixture.Server.Address.ToString().TrimEnd('/'));
        text.ShouldContain("its commands and their output are simulated");
        text.ShouldContain("● idle (turn finished)");
        text.ShouldNotContain("overseer: ", customMessage: text);
        return sessionId!;

        async Task Copy(StreamReader reader)
        {
            while (await reader.ReadLineAsync() is { } line)
                lock (output)
                    output.AppendLine(line);
        }
    }

    private async Task<string?> NewDemoSessionAsync(HashSet<string> seen) =>
        JsonDocument.Parse(await fixture.Client.GetStringAsync("/api/sessions")).RootElement.GetProperty("items").EnumerateArray()
            .Where(s => s.GetProperty("prompt").GetString() == "Give me a tour")
            .Select(s => s.GetProperty("id").GetString()!)
            .FirstOrDefault(id => !seen.Contains(id));

    private async Task<JsonElement> PendingAsync(string kind, string sessionId) =>
        (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/{kind}?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(60), $"the demo's pending {kind}"))[0];
}
