using Overseer.TestKit.Anthropic;

namespace Overseer.TestKit.Mcp;

/// <summary>
/// The reference MCP server <c>@modelcontextprotocol/server-everything</c> from npm (pinned in
/// tools/package.json, installed by test.sh): a real stdio MCP server with tools such as <c>echo</c>
/// and <c>get-env</c> (which prints its environment, so a test sees what a server was given).
/// </summary>
public static class EverythingMcpServer
{
    public const string PathVariable = "OVERSEER_MCP_EVERYTHING_PATH";

    /// <summary>The package's directory: $OVERSEER_MCP_EVERYTHING_PATH, else tools/node_modules; an exception telling how to install it otherwise (tests fail rather than skip).</summary>
    public static string RequirePackageDirectory()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        var path = !string.IsNullOrWhiteSpace(configured) ? configured
            : Path.Combine(ClaudeCli.RepositoryRoot ?? ".", "tools", "node_modules", "@modelcontextprotocol", "server-everything");
        if (File.Exists(Path.Combine(path, "dist", "index.js")))
            return Path.GetFullPath(path);
        throw new InvalidOperationException(
            $"The MCP server @modelcontextprotocol/server-everything is not installed ('{path}'). From the repository root run: " +
            $"{ClaudeCli.InstallCommand}  (or set {PathVariable} to the package's directory).");
    }

    /// <summary>Its node_modules tree (the package and its dependencies), which the sandbox must show the server read-only.</summary>
    public static string NodeModules(string packageDirectory) => Path.GetFullPath(Path.Combine(packageDirectory, "..", ".."));

    /// <summary>Settings that give every project's agents this server as <paramref name="name"/>, with <paramref name="env"/>.</summary>
    public static Dictionary<string, string?> Settings(string name, IReadOnlyDictionary<string, string> env)
    {
        var package = RequirePackageDirectory();
        var settings = new Dictionary<string, string?>
        {
            [$"Mcp:Servers:{name}:Command"] = "node",
            [$"Mcp:Servers:{name}:Args:0"] = Path.Combine(package, "dist", "index.js"),
            [$"Mcp:Servers:{name}:Args:1"] = "stdio",
            ["Sandbox:ReadOnlyPaths:0"] = NodeModules(package),
        };
        foreach (var (key, value) in env)
            settings[$"Mcp:Servers:{name}:Env:{key}"] = value;
        return settings;
    }
}
