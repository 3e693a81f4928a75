using System.Text.Json;
using Overseer.Core.Safety.Policy;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Tests.Safety;

/// <summary>
/// A temp project (with a symlink "escape" pointing out of it), a temp data directory, a temp home and an
/// outside directory; inputs may name them as {project}, {data}, {home} and {outside}.
/// </summary>
public sealed class PolicySandbox : IDisposable
{
    private readonly TempDirectory _temp = new();

    public PolicySandbox()
    {
        var root = PathResolver.Resolve(_temp.Path);
        Project = Directory.CreateDirectory(Path.Combine(root, "home", "project")).FullName;
        Home = Path.Combine(root, "home");
        Data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(Project, "src"));
        File.WriteAllText(Path.Combine(Project, "README.md"), "hello");
        Directory.CreateSymbolicLink(Path.Combine(Project, "escape"), Outside);
        Directory.CreateSymbolicLink(Path.Combine(Project, "vault"), Data);
        Context = new PolicyContext(Project, Data, Home);
    }

    public string Project { get; }

    public string Home { get; }

    public string Data { get; }

    public string Outside { get; }

    public PolicyContext Context { get; }

    public string Expand(string text) => text
        .Replace("{project}", Project, StringComparison.Ordinal)
        .Replace("{data}", Data, StringComparison.Ordinal)
        .Replace("{home}", Home, StringComparison.Ordinal)
        .Replace("{outside}", Outside, StringComparison.Ordinal);

    public PolicyDecision Evaluate(PolicyEngine engine, string tool, string input)
    {
        var json = tool == "Bash" && !(input == "{}" || input.StartsWith("{\"", StringComparison.Ordinal))
            ? JsonSerializer.Serialize(new { command = Expand(input) })
            : Expand(input);
        using var document = JsonDocument.Parse(json);
        return engine.Evaluate(tool, document.RootElement.Clone(), Context);
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, Expand(content));
        return path;
    }

    public void Dispose() => _temp.Dispose();
}
