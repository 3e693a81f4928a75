using System.Runtime.Versioning;
using Overseer.TestKit;

namespace Overseer.Tests.Dashboard;

/// <summary>What a newcomer's first start and first clicks write to the log at the default levels: nothing alarming.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class QuietLogTests : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task FirstStartAndPages_LogNoWarnings_AndTheKeyRingIsPrivate()
    {
        var data = Path.Combine(_temp.Path, "data");
        using var logs = new CapturingLoggerProvider();
        await using (var server = await TestServer.StartAsync(data, _temp.Create("projects"), logs: logs))
        {
            var (client, _) = await DashboardClient.SignInAsync(server.Address, server.Token);
            using (client)
            {
                foreach (var page in new[] { "/", "/inbox", "/projects", "/stats", "/" })
                {
                    using var response = await client.GetAsync(page);
                    response.EnsureSuccessStatusCode();
                    response.Headers.CacheControl!.NoStore.ShouldBeTrue(page);
                }
            }
        }

        // Every level is captured; the default levels show Information and up (Warning and up for ASP.NET Core).
        logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal))
            .ShouldBeEmpty(string.Join('\n', logs.Lines.Where(l => !l.StartsWith("Trace", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal))));
        logs.Lines.Count(l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("Dashboard sign-in keys go to", StringComparison.Ordinal)).ShouldBe(1);
        var keys = Path.Combine(data, "keys");
        File.GetUnixFileMode(keys).ShouldBe(OwnerOnlyDirectory);
        var files = Directory.GetFiles(keys, "*.xml");
        files.ShouldNotBeEmpty();
        files.ShouldAllBe(f => File.GetUnixFileMode(f) == OwnerOnlyFile);
    }

    [Fact]
    public async Task SecondStart_SignsInWithTheKeysOfTheFirst_AndSaysNothingAboutThem()
    {
        var data = Path.Combine(_temp.Path, "data");
        var projects = _temp.Create("projects");
        await using (var first = await TestServer.StartAsync(data, projects))
        {
            var (client, _) = await DashboardClient.SignInAsync(first.Address, first.Token);
            client.Dispose();
        }
        using var logs = new CapturingLoggerProvider();

        await using var second = await TestServer.StartAsync(data, projects, logs: logs);
        var (again, _) = await DashboardClient.SignInAsync(second.Address, second.Token);
        using (again)
            (await again.GetAsync("/")).EnsureSuccessStatusCode();

        logs.Lines.ShouldNotContain(l => l.Contains("Dashboard sign-in keys go to", StringComparison.Ordinal));
        logs.Lines.ShouldNotContain(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Dispose();
}
