using Overseer.Core.Workspaces;

namespace Overseer.Core.Tests;

public sealed class PathResolverTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public PathResolverTests()
    {
        // The temp directory itself may sit behind a link (macOS /tmp); compare canonical paths.
        _root = PathResolver.Resolve(_temp.Path);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Resolve_DotDotSegments_AreFolded()
    {
        _temp.Create("a/b");
        _temp.Create("a/c");

        var resolved = PathResolver.Resolve(Path.Combine(_temp.Path, "a", "b", "..", "c", ".", "d"));

        resolved.ShouldBe(Path.Combine(_root, "a", "c", "d"));
    }

    [Fact]
    public void Resolve_RelativePath_BecomesAbsolute()
    {
        PathResolver.Resolve("some/relative/../dir").ShouldBe(PathResolver.Resolve(Path.Combine(Environment.CurrentDirectory, "some", "dir")));
    }

    [Fact]
    public void Resolve_SymlinkPointingOutOfTheDirectory_ResolvesToItsTarget()
    {
        var project = _temp.Create("project");
        var outside = _temp.Create("outside");
        Directory.CreateSymbolicLink(Path.Combine(project, "escape"), outside);

        var resolved = PathResolver.Resolve(Path.Combine(project, "escape", "secrets.txt"));

        resolved.ShouldBe(Path.Combine(_root, "outside", "secrets.txt"));
        PathResolver.IsWithin(resolved, PathResolver.Resolve(project)).ShouldBeFalse();
    }

    [Fact]
    public void Resolve_RelativeSymlinkTarget_IsTakenFromTheLinksDirectory()
    {
        var project = _temp.Create("project");
        _temp.Create("outside/deep");
        Directory.CreateSymbolicLink(Path.Combine(project, "up"), Path.Combine("..", "outside"));

        PathResolver.Resolve(Path.Combine(project, "up", "deep")).ShouldBe(Path.Combine(_root, "outside", "deep"));
    }

    [Fact]
    public void Resolve_ChainOfSymlinks_FollowsEveryLink()
    {
        var target = _temp.Create("target");
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "second"), target);
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "first"), Path.Combine(_temp.Path, "second"));

        PathResolver.Resolve(Path.Combine(_temp.Path, "first")).ShouldBe(Path.Combine(_root, "target"));
    }

    [Fact]
    public void Resolve_SymlinkLoop_ThrowsInsteadOfHanging()
    {
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "ping"), Path.Combine(_temp.Path, "pong"));
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "pong"), Path.Combine(_temp.Path, "ping"));

        Should.Throw<IOException>(() => PathResolver.Resolve(Path.Combine(_temp.Path, "ping", "x")))
            .Message.ShouldContain("Too many levels of symbolic links");
    }

    [Fact]
    public void Resolve_PathThatDoesNotExist_IsReturnedCanonicalised()
    {
        PathResolver.Resolve(Path.Combine(_temp.Path, "missing", "..", "also-missing")).ShouldBe(Path.Combine(_root, "also-missing"));
    }

    [Theory]
    [InlineData("/a/b", "/a/b", true)]
    [InlineData("/a/b/c", "/a/b", true)]
    [InlineData("/a/b/c/d", "/a/b", true)]
    [InlineData("/a/b/c", "/a/b/", true)]
    [InlineData("/a/b", "/", true)]
    [InlineData("/a/bc", "/a/b", false)]
    [InlineData("/a/b-c/d", "/a/b", false)]
    [InlineData("/a", "/a/b", false)]
    [InlineData("/x/b", "/a/b", false)]
    [InlineData("/A/b", "/a/b", false)]
    public void IsWithin_CanonicalPaths_ComparesWholeSegments(string path, string directory, bool expected)
    {
        PathResolver.IsWithin(path, directory).ShouldBe(expected);
    }
}
