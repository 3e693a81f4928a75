namespace Overseer.Core.Agents.Router;

/// <summary>Where a turn goes (a route's name) and why, in words (<c>runtime.routed</c>'s reason).</summary>
internal sealed record RouteChoice(string Route, string Reason);
