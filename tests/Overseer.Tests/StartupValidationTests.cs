using System.Diagnostics;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class StartupValidationTests
{
    private static async Task<(int ExitCode, string Stderr)> ServeAsync(string dataDir, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ServerProcess.ExecutablePath, "serve", "--data", dataDir, "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stderr);
    }

    [Fact]
    public async Task Serve_InvalidPolicyFile_ExitsTwoNamingFileLineAndField()
    {
        using var temp = new TempDirectory();
        var policy = Path.Combine(temp.Path, "policy.yaml");
        await File.WriteAllTextAsync(policy, "rules:\n  - tool: Bash\n    command: [docker]\n    tier: PURPLE\n");
        var (exitCode, stderr) = await ServeAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string> { ["OVERSEER__Safety__PolicyFile"] = policy });
        exitCode.ShouldBe(2);
        stderr.ShouldContain("policy.yaml:4: rules[0].tier: 'PURPLE'");
        stderr.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Serve_InvalidSetting_ExitsTwoNamingIt()
    {
        using var temp = new TempDirectory();
        var (exitCode, stderr) = await ServeAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string> { ["OVERSEER__Sessions__MaxConcurrent"] = "0" });
        exitCode.ShouldBe(2);
        stderr.ShouldContain("Sessions:MaxConcurrent");
    }

    [Fact]
    public async Task Serve_EventPreviewTooShort_ExitsTwoNamingIt()
    {
        using var temp = new TempDirectory();
        var (exitCode, stderr) = await ServeAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string> { ["OVERSEER__Sessions__EventPreviewChars"] = "100" });
        exitCode.ShouldBe(2);
        stderr.ShouldContain("Sessions:EventPreviewChars must be between 1024 and 1048576");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_DataDirectoryOpenToOthersThatCannotBeFixed_ExitsTwoNamingPathAndFix()
    {
        // procfs refuses every chmod, even root's: a stand-in for a directory someone else owns.
        const string path = "/proc/1";
        if (!Directory.Exists(path))
            return;

        var (exitCode, stderr) = await ServeAsync(path, new Dictionary<string, string>());

        exitCode.ShouldBe(2);
        stderr.ShouldContain($"{path} is open to group or others (mode 0555)");
        stderr.ShouldContain($"chmod 0700 {path}");
        stderr.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("OVERSEER__Telemetry__Metrics__Enabled", "true", "Telemetry:Metrics:Enabled needs Telemetry:Metrics:Token or Telemetry:Metrics:AllowFrom")]
    [InlineData("OVERSEER__Telemetry__Metrics__AllowFrom__0", "10.0.0.0/33", "Telemetry:Metrics:AllowFrom '10.0.0.0/33' is not a network in CIDR form")]
    [InlineData("OVERSEER__Telemetry__Otlp__Endpoint", "localhost:4318", "Telemetry:Otlp:Endpoint 'localhost:4318' must be an http:// or https:// address")]
    public async Task Serve_TelemetrySettingThatCannotWork_ExitsTwoNamingIt(string variable, string value, string message)
    {
        using var temp = new TempDirectory();
        var (exitCode, stderr) = await ServeAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string> { [variable] = value });
        exitCode.ShouldBe(2);
        stderr.ShouldContain(message);
        stderr.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("OVERSEER__Auth__Oidc__Authority", "http://idp.example.com", "Auth:Oidc:Authority must be https")]
    [InlineData("OVERSEER__Auth__Oidc__Authority", "https://idp.example.com", "Auth:Oidc:ClientId must be set")]
    [InlineData("OVERSEER__Auth__Oidc__ClientId", "overseer", "Auth:Oidc:Authority must be set")]
    [InlineData("OVERSEER__Auth__Passkeys__RelyingPartyId", "https://overseer.example.com", "Auth:Passkeys:RelyingPartyId must be a host name")]
    [InlineData("OVERSEER__Auth__Passkeys__RelyingPartyId", "10.0.0.5", "Auth:Passkeys:RelyingPartyId must be a host name")]
    [InlineData("OVERSEER__Dashboard__LoginAttemptsPerUserPerMinute", "0", "Dashboard:LoginAttemptsPerUserPerMinute must be between 1 and 10000")]
    public async Task Serve_SignInSettingThatCannotWork_ExitsTwoNamingIt(string variable, string value, string message)
    {
        using var temp = new TempDirectory();
        var (exitCode, stderr) = await ServeAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string> { [variable] = value });
        exitCode.ShouldBe(2);
        stderr.ShouldContain(message);
    }

    [Fact]
    public async Task Serve_OidcGroupMappingWithAnUnknownRole_ExitsTwoNamingTheMapping()
    {
        using var temp = new TempDirectory();
        var (exitCode, stderr) = await ServeAsync(Path.Combine(temp.Path, "data"), new Dictionary<string, string>
        {
            ["OVERSEER__Auth__Oidc__Authority"] = "https://idp.example.com",
            ["OVERSEER__Auth__Oidc__ClientId"] = "overseer",
            ["OVERSEER__Auth__Oidc__GroupMappings__0__Group"] = "admins",
            ["OVERSEER__Auth__Oidc__GroupMappings__0__Role"] = "superuser",
            ["OVERSEER__Auth__Oidc__GroupMappings__1__Group"] = "p1-team",
            ["OVERSEER__Auth__Oidc__GroupMappings__1__Role"] = "owner",
            ["OVERSEER__Auth__Oidc__GroupMappings__1__ProjectId"] = "p1",
        });
        exitCode.ShouldBe(2);
        stderr.ShouldContain("Auth:Oidc:GroupMappings:0:Role must be one of owner, admin, operator, viewer, not 'superuser'");
        stderr.ShouldContain("Auth:Oidc:GroupMappings:1:Role: a project membership is admin, operator or viewer, not owner");
    }
}
