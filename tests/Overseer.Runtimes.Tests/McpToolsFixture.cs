using System.Text;
using System.Text.Json;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;
using Overseer.TestKit.Mcp;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// A server whose agents — both the anthropic runtime and the claude-code runtime (the real CLI), each
/// against the mock Messages API — are given the real npm MCP server <c>server-everything</c> as
/// "everything", with a vault secret in its environment; a policy file marks its <c>echo</c> GREEN.
/// </summary>
public sealed class McpToolsFixture : AnthropicFixture
{
    public const string SecretName = "MCP_TEST_TOKEN";
    public const string SecretValue = "mcp-vault-value-5c1e9a";

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = EverythingMcpServer.Settings("everything", new Dictionary<string, string> { ["EVERYTHING_TOKEN"] = "secret:" + SecretName });
            var policy = Path.Combine(ProjectsRoot, "..", "policy.yaml");
            File.WriteAllText(policy, "rules:\n  - tool: \"mcp__everything__echo\"\n    tier: GREEN\n    reason: echo only repeats its input\n");
            settings["Safety:PolicyFile"] = Path.GetFullPath(policy);
            settings["Runtimes:ClaudeCode:ExecutablePath"] = ClaudeCli.RequireExecutablePath();
            settings["Runtimes:ClaudeCode:StopGracePeriod"] = "00:00:03";
            // The CLI gives an MCP server 30 s to start; node in a fresh sandbox on a busy machine may need more.
            settings["Runtimes:ClaudeCode:Environment:MCP_TIMEOUT"] = "120000";
            var home = Path.Combine(ProjectsRoot, "..", "claude-home");
            Directory.CreateDirectory(home);
            // Settings' keys ignore case: NO_PROXY and no_proxy are one (as in ClaudeDashboardFixture).
            foreach (var (key, value) in ClaudeCli.Environment(Api.BaseUrl, Path.GetFullPath(home), maxRetries: 1))
                settings["Runtimes:ClaudeCode:Environment:" + key.ToUpperInvariant()] = value;
            return settings;
        }
    }

    /// <summary>A project whose agents may read the secret the MCP server's environment names.</summary>
    public async Task<(string Dir, string Id)> GrantedProjectAsync()
    {
        var project = await NewProjectAsync();
        using var put = await Client.PutAsync($"/api/secrets/{SecretName}",
            new StringContent(JsonSerializer.Serialize(new { value = SecretValue, projects = new[] { project.Id } }), Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        return project;
    }
}
