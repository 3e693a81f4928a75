using Overseer.TestKit;

namespace Overseer.EndToEnd.Tests;

/// <summary>A shell script standing in for the claude executable, and a server that runs it.</summary>
internal static class FakeAgent
{
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<(TestServer Server, string ProjectId)> StartServerAsync(TempDirectory root, string script, IDictionary<string, string?>? settings = null)
    {
        var fake = Path.Combine(root.Path, "fake-claude");
        await File.WriteAllTextAsync(fake, script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var all = new Dictionary<string, string?> { ["Runtimes:ClaudeCode:ExecutablePath"] = fake };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var server = await TestServer.StartAsync(Path.Combine(root.Path, "data"), root.Create("projects"), all);
        var project = await server.Client.CreateProjectAsync(root.Create("projects/app"));
        return (server, project.Id);
    }

    public static async Task<string> StartSessionAsync(TestServer server, string projectId, string prompt)
    {
        using var created = await server.Client.PostJsonAsync("/api/sessions", $"{{\"projectId\": \"{projectId}\", \"prompt\": \"{prompt}\", \"runtime\": \"claude-code\"}}");
        created.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }
}
