using System.Net;
using System.Runtime.Versioning;
using System.Text;
using Overseer.TestKit;

namespace Overseer.Tests;

[UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryPermissionTests : IDisposable
{
    private const UnixFileMode Open = (UnixFileMode)0b111_111_111; // 0777
    private readonly TempDirectory _temp = new();
    private string DataDir => Path.Combine(_temp.Path, "data");
    private string ProjectsRoot => _temp.Create("projects");

    [Fact]
    public async Task Start_NewDataDirectory_IsCreatedOwnerOnly()
    {
        await using var server = await TestServer.StartAsync(DataDir, ProjectsRoot);

        File.GetUnixFileMode(DataDir).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Start_DataDirectoryAndKeyFilesOpenToOthers_AreMadePrivate_AndTheLogSaysSo()
    {
        await using (var first = await TestServer.StartAsync(DataDir, ProjectsRoot))
        {
            using var put = await first.Client.PutAsync("/api/secrets/API_KEY", new StringContent("{\"value\": \"v\"}", Encoding.UTF8, "application/json"));
            put.EnsureSuccessStatusCode();
        }
        File.SetUnixFileMode(DataDir, Open);
        File.SetUnixFileMode(Path.Combine(DataDir, "admin.token"), (UnixFileMode)0b110_100_100); // 0644
        File.SetUnixFileMode(Path.Combine(DataDir, "vault.key"), (UnixFileMode)0b110_110_110); // 0666
        using var logs = new CapturingLoggerProvider();

        await using var second = await TestServer.StartAsync(DataDir, ProjectsRoot, logs: logs);

        File.GetUnixFileMode(DataDir).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.GetUnixFileMode(Path.Combine(DataDir, "admin.token")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.Combine(DataDir, "vault.key")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        logs.Lines.ShouldContain(l => l.StartsWith("Information") && l.Contains($"Made {DataDir} private: mode 0777 is now 0700"));
        logs.Lines.ShouldContain(l => l.Contains("admin.token private: mode 0644 is now 0600"));
        // The key file was repaired before the vault read it, so the secrets still work.
        using var get = await second.Client.GetAsync("/api/secrets/API_KEY");
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public void Dispose() => _temp.Dispose();
}
