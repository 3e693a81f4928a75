using Overseer.Core.Workspaces;

namespace Overseer.Core.Safety.Policy;

/// <summary>A <see cref="PolicyContext"/> with every directory canonical, so "inside" checks compare like with like.</summary>
internal sealed record ResolvedContext(string Project, string DataDirectory, string Home)
{
    public static ResolvedContext From(PolicyContext context) => new(
        PathResolver.Resolve(context.ProjectPath),
        PathResolver.Resolve(context.DataDirectory),
        PathResolver.Resolve(context.HomeDirectory));

    public BashExpansion Expansion => new(Home, Project);
}
