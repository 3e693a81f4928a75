using System.Text.Json;
using Overseer.Core.Agents;

namespace Overseer.Core.Sessions;

/// <summary>What a session host needs to know that never changes over the session's life; <paramref name="StartedById"/> is the user whose budgets it counts against.</summary>
public sealed record SessionInfo(
    string Id,
    string ProjectId,
    string WorkingDirectory,
    string Prompt,
    IAgentRuntime Runtime,
    string? Model,
    int Priority,
    JsonElement? Script,
    string CreatedBy,
    string ProjectName = "",
    string? StartedById = null);
