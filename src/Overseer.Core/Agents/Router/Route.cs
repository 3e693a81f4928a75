using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Router;

/// <summary>A route resolved: its name, its runtime and where its calls go.</summary>
internal sealed record Route(string Name, string Runtime, ModelTarget Target)
{
    public override string ToString() => $"{Name} ({Runtime} · {Target.Model})";
}
