using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class VaultRotationTests
{
    private const string Value = "rotate-me-0123456789";

    [Fact]
    public async Task RotateKey_ReencryptsSecrets_AndTheServerStillUsesThem()
    {
        using var temp = new TempDirectory();
        var data = Path.Combine(temp.Path, "data");
        var projects = temp.Create("projects");
        string projectId;
        await using (var server = await TestServer.StartAsync(data, projects))
        {
            projectId = (await server.Client.CreateProjectAsync(temp.Create("projects/app"))).Id;
            using var put = await server.Client.PutAsync("/api/secrets/DB_PASSWORD", new StringContent(JsonSerializer.Serialize(new { value = Value }), Encoding.UTF8, "application/json"));
            put.EnsureSuccessStatusCode();
        }
        var oldKey = await File.ReadAllTextAsync(Path.Combine(data, "vault.key"));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ServerProcess.ExecutablePath, "vault", "rotate-key", "--data", data })
            start.ArgumentList.Add(arg);
        using (var process = Process.Start(start)!)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.ExitCode.ShouldBe(0, output + await process.StandardError.ReadToEndAsync());
            output.ShouldContain("Re-encrypted 1 secret(s)");
        }
        (await File.ReadAllTextAsync(Path.Combine(data, "vault.key"))).ShouldNotBe(oldKey);
        File.Exists(Path.Combine(data, "vault.key.next")).ShouldBeFalse();

        await using var restarted = await TestServer.StartAsync(data, projects);
        var session = await restarted.Client.CreateSessionAsync(projectId, JsonSerializer.Serialize(new[] { new { say = "password " + Value } }));
        await restarted.Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var text = (await restarted.Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("text").GetString();
        text.ShouldBe("password «secret:DB_PASSWORD»", "the secret decrypts under the new key, so it is still redacted");
    }
}
