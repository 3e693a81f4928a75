using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.ClaudeCode;
using Overseer.Core.Agents.Mcp;

namespace Overseer.Core.Tests;

public sealed class AgentMcpServersTests
{
    private static AgentMcpServers Servers(params (string Name, AgentMcpServerOptions Server)[] servers)
    {
        var options = new AgentMcpOptions();
        foreach (var (name, server) in servers)
            options.Servers[name] = server;
        return new AgentMcpServers(Options.Create(options));
    }

    [Fact]
    public void For_SecretValue_TakenFromTheSessionsGrantedEnvironment_AndOnlyForListedProjects()
    {
        var servers = Servers(
            ("github", new AgentMcpServerOptions { Command = "npx", Args = ["-y", "server-github"], Env = { ["GITHUB_PERSONAL_ACCESS_TOKEN"] = "secret:GITHUB_TOKEN", ["MODE"] = "read" }, Projects = ["api"] }),
            ("docs", new AgentMcpServerOptions { Url = "https://mcp.example.com/mcp" }));
        var granted = new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghp_real_value" };

        var forApi = servers.For("p_1", "api", granted);
        forApi.Select(s => s.Name).ShouldBe(["docs", "github"]);
        var github = forApi.Single(s => s.Name == "github");
        github.Env["GITHUB_PERSONAL_ACCESS_TOKEN"].ShouldBe("ghp_real_value");
        github.Env["MODE"].ShouldBe("read");
        github.SecretVariables["GITHUB_PERSONAL_ACCESS_TOKEN"].ShouldBe("GITHUB_TOKEN");
        servers.For("p_2", "web", granted).Select(s => s.Name).ShouldBe(["docs"]);
    }

    [Fact]
    public void For_SecretNotGranted_RefusesNamingServerSecretAndVariable()
    {
        var servers = Servers(("github", new AgentMcpServerOptions { Command = "npx", Env = { ["TOKEN"] = "secret:GITHUB_TOKEN" } }));
        var failure = Should.Throw<InvalidOperationException>(() => servers.For("p_1", "api", new Dictionary<string, string>()));
        failure.Message.ShouldBe("MCP server 'github' needs the vault secret GITHUB_TOKEN for TOKEN, and it is not granted to this project.");
    }

    [Fact]
    public void ClaudeMcpConfig_SecretsAsVariableReferences_NeverTheirValues()
    {
        var servers = Servers(
            ("github", new AgentMcpServerOptions { Command = "npx", Args = ["-y", "server-github"], Env = { ["TOKEN"] = "secret:GITHUB_TOKEN" } }),
            ("docs", new AgentMcpServerOptions { Url = "https://mcp.example.com/mcp", Headers = { ["Authorization"] = "secret:DOCS_AUTH" } }))
            .For("p_1", "api", new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghp_real_value", ["DOCS_AUTH"] = "Bearer real" });

        var config = ClaudeCommandLine.McpConfig(servers);

        config.ShouldNotContain("ghp_real_value");
        config.ShouldNotContain("Bearer real");
        var root = JsonDocument.Parse(config).RootElement.GetProperty("mcpServers");
        root.GetProperty("github").GetProperty("type").GetString().ShouldBe("stdio");
        root.GetProperty("github").GetProperty("args")[1].GetString().ShouldBe("server-github");
        root.GetProperty("github").GetProperty("env").GetProperty("TOKEN").GetString().ShouldBe("${GITHUB_TOKEN}");
        root.GetProperty("docs").GetProperty("type").GetString().ShouldBe("http");
        root.GetProperty("docs").GetProperty("headers").GetProperty("Authorization").GetString().ShouldBe("${DOCS_AUTH}");
    }

    [Fact]
    public void Problems_NameEachBadServerAndField()
    {
        var options = new AgentMcpOptions();
        options.Servers["both"] = new AgentMcpServerOptions { Command = "x", Url = "https://a" };
        options.Servers["empty-secret"] = new AgentMcpServerOptions { Command = "x", Env = { ["A"] = "secret:" } };
        options.Servers["ok"] = new AgentMcpServerOptions { Url = "http://127.0.0.1:9/mcp" };
        options.Problems().ShouldBe([
            "Mcp:Servers:both: give Command (a program started over stdio) or Url (a streamable HTTP server), not both.",
            "Mcp:Servers:empty-secret: 'secret:' must be followed by a secret's name.",
        ]);
    }
}
