namespace Overseer.Core.Sessions;

/// <summary>A session started by a webhook trigger: which one, and the issue or merge request the work came from.</summary>
public sealed record TriggerOrigin(string TriggerId, string? SourceUrl);
