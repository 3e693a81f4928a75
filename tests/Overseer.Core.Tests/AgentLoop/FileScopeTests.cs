using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Tests.AgentLoop;

/// <summary>The in-process tools' view of the host: the session's files, never a path a link or <c>..</c> leads out to.</summary>
public sealed class FileScopeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SymlinkOutOfTheProject_IsRefused_ForReadingAndWriting()
    {
        var project = _temp.Create("project");
        var outside = _temp.Create("outside");
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        File.CreateSymbolicLink(Path.Combine(project, "link.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(project, "door"), outside);
        var scope = new FileScope(project);

        Should.Throw<ToolInputException>(() => scope.Resolve(Path.Combine(project, "link.txt"), write: false)).Message.ShouldContain("outside this session's working directory");
        Should.Throw<ToolInputException>(() => scope.Resolve("door/secret.txt", write: true));
        Should.Throw<ToolInputException>(() => scope.Resolve(Path.Combine(project, "..", "outside", "secret.txt"), write: false));
    }

    [Fact]
    public void PathsInsideTheProject_ResolveToThemselves_AndTheRepositorysConfigIsReadOnly()
    {
        var project = _temp.Create("repo");
        Directory.CreateDirectory(Path.Combine(project, ".git", "hooks"));
        File.WriteAllText(Path.Combine(project, ".git", "config"), "[core]\n");
        var scope = new FileScope(project);

        scope.Resolve("src/new.cs", write: true).ShouldBe(Path.Combine(scope.WorkingDirectory, "src", "new.cs"));
        scope.Resolve(Path.Combine(project, ".git", "config"), write: false).ShouldEndWith(".git/config");
        Should.Throw<ToolInputException>(() => scope.Resolve(".git/hooks/pre-commit", write: true)).Message.ShouldContain("read-only");
        new FileScope(project, gitConfigWritable: true).Resolve(".git/config", write: true).ShouldEndWith(".git/config");
    }

    [Fact]
    public void ReadOnlyPaths_OfTheSandbox_CanBeReadButNotWritten()
    {
        var project = _temp.Create("p");
        var toolchain = _temp.Create("toolchain");
        var scope = new FileScope(project, [toolchain]);
        scope.Resolve(Path.Combine(toolchain, "bin", "tool"), write: false).ShouldStartWith(toolchain);
        Should.Throw<ToolInputException>(() => scope.Resolve(Path.Combine(toolchain, "bin", "tool"), write: true)).Message.ShouldContain("read-only");
    }
}
