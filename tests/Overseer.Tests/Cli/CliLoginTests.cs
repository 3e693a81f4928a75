using Overseer.TestKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed class CliLoginTests(CliFixture fixture)
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Login_TokenOnStdin_StoresConfigReadableOnlyByTheUser()
    {
        var home = fixture.NewHome();

        var result = await home.RunAsync(["login", fixture.Server.Address.ToString()], stdin: fixture.Server.Token + "\n");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldNotContain(fixture.Server.Token);
        result.Stderr.ShouldNotContain(fixture.Server.Token);
        File.GetUnixFileMode(home.ConfigFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(home.ConfigDirectory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stored = await File.ReadAllTextAsync(home.ConfigFile);
        stored.ShouldContain(fixture.Server.Token);
        stored.ShouldContain(fixture.Server.Address.ToString().TrimEnd('/'));
        (await home.RunAsync("ls")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Login_WrongToken_FailsWithOneLineAndExit3()
    {
        var home = fixture.NewHome();

        var result = await home.RunAsync("login", fixture.Server.Address.ToString(), "--token", "ovs_wrong");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.ToString());
        result.Stderr.ShouldStartWith("overseer: ");
        result.Stderr.ShouldNotContain("ovs_wrong");
        File.Exists(home.ConfigFile).ShouldBeFalse();
    }

    [Fact]
    public async Task AnyCommand_NotLoggedIn_SaysSoAndExits3()
    {
        var result = await fixture.NewHome().RunAsync("ls");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stderr.ShouldContain("overseer login");
    }

    [Fact]
    public async Task EnvironmentVariables_OverrideTheStoredLogin()
    {
        var home = fixture.NewHome();
        home.Variables["OVERSEER_URL"] = fixture.Server.Address.ToString();
        home.Variables["OVERSEER_TOKEN"] = "ovs_wrong";
        (await home.RunAsync("ls")).ExitCode.ShouldBe(3);
        home.Variables["OVERSEER_TOKEN"] = fixture.Server.Token;
        (await home.RunAsync("ls")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task AnyCommand_ServerUnreachable_Exits5()
    {
        var home = fixture.NewHome();
        home.Variables["OVERSEER_URL"] = "http://127.0.0.1:1";
        home.Variables["OVERSEER_TOKEN"] = "ovs_any";

        var result = await home.RunAsync("ls");

        result.ExitCode.ShouldBe(5, result.ToString());
        result.Stderr.ShouldStartWith("overseer: cannot reach the server");
    }

    [Fact]
    public async Task Command_BadArguments_IsAUsageErrorWithExit2()
    {
        var result = await fixture.Cli.RunAsync("approve");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.ToString());
    }

    [Theory]
    [InlineData(new[] { "atach", "s_1" }, "unknown command 'atach'. Did you mean: attach?")]
    [InlineData(new[] { "pendng" }, "unknown command 'pendng'. Did you mean: pending?")]
    [InlineData(new[] { "projects", "ad", "/tmp" }, "unknown command 'ad'. Did you mean: add?")]
    public async Task Command_Unknown_NamesTheNearestCommandsAndExits2(string[] args, string expected)
    {
        var result = await fixture.Cli.RunAsync(args);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldStartWith("overseer: " + expected, Case.Sensitive, result.ToString());
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1, result.ToString());
    }

    [Fact]
    public async Task Login_NoUrl_UsesOverseerUrl()
    {
        var home = fixture.NewHome();
        home.Variables["OVERSEER_URL"] = fixture.Server.Address.ToString();

        var result = await home.RunAsync("login", "--token", fixture.Server.Token);

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(home.ConfigFile)).ShouldContain(fixture.Server.Address.ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task Login_NoUrlAndNoOverseerUrl_TriesTheLocalServer()
    {
        // Whatever listens on 7700 on this machine (most likely nothing), it cannot take this token.
        var result = await fixture.NewHome().RunAsync("login", "--token", "ovs_not_a_token");

        result.ExitCode.ShouldBeOneOf(3, 5);
        result.Stderr.ShouldContain("http://127.0.0.1:7700", Case.Sensitive, result.ToString());
    }

    /// <summary><c>doctor</c> against a server of its own whose claude CLI is missing, with this default runtime.</summary>
    private async Task<CliResult> DoctorWithoutClaudeAsync(string defaultRuntime)
    {
        using var temp = new TempDirectory();
        await using var server = await TestServer.StartAsync(Path.Combine(temp.Path, "data"), temp.Create("projects"), new Dictionary<string, string?>
        {
            ["Runtimes:ClaudeCode:ExecutablePath"] = Path.Combine(temp.Path, "no-claude-here"),
            ["Sessions:DefaultRuntime"] = defaultRuntime,
        });
        return await fixture.NewHome().RunAsync("doctor", "--url", server.Address.ToString(), "--token", server.Token);
    }

    [Fact]
    public async Task Doctor_DemoOnlyServerWithoutClaude_PassesAndSaysClaudeIsMissing()
    {
        var result = await DoctorWithoutClaudeAsync("scripted");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("note the server's claude CLI: unavailable");
        result.Stdout.ShouldContain("ok   the server's default runtime 'scripted': available");
        result.Stdout.ShouldContain("All checks passed.");
    }

    [Fact]
    public async Task Doctor_ClaudeDefaultWithoutClaude_Fails()
    {
        var result = await DoctorWithoutClaudeAsync("claude-code");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.ShouldContain("FAIL the server's claude CLI: unavailable");
    }

    [Fact]
    public async Task Doctor_ReportsWhetherTheSandboxIsUp()
    {
        var home = fixture.NewHome();

        var result = await home.RunAsync("doctor", "--url", fixture.Server.Address.ToString(), "--token", fixture.Server.Token);

        result.Stdout.ShouldContain("ok   the sandbox is up: bubblewrap", Case.Sensitive, result.ToString());
    }
}
