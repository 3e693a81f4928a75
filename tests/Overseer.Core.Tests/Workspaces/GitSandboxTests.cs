using System.Diagnostics;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Tests.Workspaces;

public sealed class GitSandboxTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void StartInfo_ServerEnvironmentHasOverseerAndOtherVariables_NoneReachesGit()
    {
        Environment.SetEnvironmentVariable("OVERSEER_GIT_SANDBOX_PROBE", "secret");
        Environment.SetEnvironmentVariable("GIT_EXTERNAL_DIFF", "/tmp/evil");

        var start = Git.StartInfo(_temp.Path, ["status"], GitSandbox.FixedConfig, new Dictionary<string, string> { ["GIT_INDEX_FILE"] = "/tmp/index" });

        start.Environment.Keys.ShouldNotContain(key => key.StartsWith("OVERSEER", StringComparison.OrdinalIgnoreCase));
        start.Environment.Keys.ShouldNotContain("GIT_EXTERNAL_DIFF");
        start.Environment.Keys.Where(key => !key.StartsWith("GIT_CONFIG_KEY_", StringComparison.Ordinal) && !key.StartsWith("GIT_CONFIG_VALUE_", StringComparison.Ordinal))
            .ShouldBe(["PATH", "HOME", "LANG", "LC_ALL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_GLOBAL", "GIT_ATTR_NOSYSTEM",
                "GIT_TERMINAL_PROMPT", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER", "PAGER", "GIT_SSH_COMMAND", "GIT_CONFIG_COUNT", "GIT_INDEX_FILE"], ignoreOrder: true);
        start.Environment["HOME"].ShouldBe(GitSandbox.Home);
        Directory.Exists(GitSandbox.Home).ShouldBeFalse();
        start.Environment["GIT_CONFIG_GLOBAL"].ShouldBe("/dev/null");
        start.Environment["GIT_CONFIG_COUNT"].ShouldBe(GitSandbox.FixedConfig.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList[0].ShouldBe("--no-pager");
    }

    [Fact]
    public void SearchPath_ServerPathHasRelativeOrEmptyEntries_OnlyAbsoluteOnesRemain()
    {
        GitSandbox.SearchPath("/usr/bin:.::bin:./node_modules/.bin:/bin").ShouldBe("/usr/bin:/bin");
        GitSandbox.SearchPath(null).ShouldBe("/usr/local/bin:/usr/bin:/bin");
    }

    [Fact]
    public void Environment_CallerAddsAVariableThatIsNotAGitLocation_Throws()
    {
        Should.Throw<ArgumentException>(() => GitSandbox.Environment([], new Dictionary<string, string> { ["GIT_EXTERNAL_DIFF"] = "evil" }));
        Should.Throw<ArgumentException>(() => GitSandbox.Environment([], new Dictionary<string, string> { ["OVERSEER_TOKEN"] = "x" }));
    }

    [Fact]
    public void OverridesFor_DriversTheRepositoryDefines_EachIsEmptiedByItsExactName()
    {
        var overrides = GitSandbox.OverridesFor(
            ["filter.lfs.clean", "filter.lfs.smudge", "filter.a.b=c.process", "diff.Pic.textconv", "diff.x.command", "merge.npm.driver", "merge.npm.name", "protocol.ssh.allow", "protocol.gopher.allow", "user.name", "core.bare"]);

        overrides.ShouldBe(new Dictionary<string, string>
        {
            ["filter.lfs.clean"] = "", ["filter.lfs.smudge"] = "", ["filter.lfs.process"] = "", ["filter.lfs.required"] = "false",
            ["filter.a.b=c.clean"] = "", ["filter.a.b=c.smudge"] = "", ["filter.a.b=c.process"] = "", ["filter.a.b=c.required"] = "false",
            ["diff.Pic.textconv"] = "false",
            ["diff.x.command"] = "false",
            ["merge.npm.driver"] = "false",
            ["protocol.gopher.allow"] = "never",
        }, ignoreOrder: true);
    }

    [Fact]
    public async Task RunAsync_RepositoryConfigNamesPrograms_CommandLineConfigWins()
    {
        await PlainGitAsync("init", "-q");
        await PlainGitAsync("config", "core.hooksPath", "/tmp/evil-hooks");
        await PlainGitAsync("config", "core.fsmonitor", "/tmp/evil-fsmonitor");
        await PlainGitAsync("config", "core.askPass", "/tmp/evil-askpass");
        await PlainGitAsync("config", "gpg.program", "/tmp/evil-gpg");

        foreach (var (key, expected) in new[] { ("core.hooksPath", "/dev/null"), ("core.fsmonitor", "false"), ("core.askPass", ""), ("gpg.program", "false") })
            (await Git.RunCheckedAsync(_temp.Path, ["config", "--get", key], CancellationToken.None)).ShouldBe(expected + "\n", key);
    }

    [Fact]
    public async Task RunAsync_ACommandThatIsNotBuiltIn_IsRefusedBeforeGitStarts()
    {
        await Should.ThrowAsync<ArgumentException>(() => Git.RunAsync(_temp.Path, ["st"], CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => Git.RunAsync(_temp.Path, ["-C", "/", "status"], CancellationToken.None));
    }

    private async Task PlainGitAsync(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _temp.Path, UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, error);
    }
}
