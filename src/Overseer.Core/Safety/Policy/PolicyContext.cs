namespace Overseer.Core.Safety.Policy;

/// <summary>Where a tool call runs: the project it may change, Overseer's own data directory (never touched) and the user's home (for <c>~</c>).</summary>
public sealed record PolicyContext(string ProjectPath, string DataDirectory, string HomeDirectory);
