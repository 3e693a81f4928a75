namespace Overseer.Core.Agents.Router;

/// <summary>A route: a runtime on Overseer's own loop and one of its models (null: the runtime's default model).</summary>
public sealed class RouteOptions
{
    public string Runtime { get; set; } = "";

    public string? Model { get; set; }
}
