using System.Text.Json;

namespace Overseer.Triggers;

/// <summary>
/// A webhook delivery as rules see it: its event in the rules' words (<c>issues.opened</c>, a
/// generic event's own name), the raw payload, and the fields every provider fills alike.
/// </summary>
/// <param name="Labels">The labels a label event added (GitLab can add several in one update).</param>
/// <param name="Comment">A comment event's text.</param>
/// <param name="Url">The or merge request's page: the session's source.</param>
/// <param name="Target">Where a comment goes back to, when the provider has an API for it.</param>
/// <param name="FromOverseer">The comment is one Overseer posted: never a command, or a trigger would answer itself forever.</param>
internal sealed record HookEvent(
    string Name,
    JsonElement Payload,
    IReadOnlyList<string> Labels,
    string? Comment = null,
    string? Title = null,
    string? Body = null,
    string? Url = null,
    string? Branch = null,
    long? Number = null,
    string? Author = null,
    string? Repository = null,
    PostbackTarget? Target = null,
    bool FromOverseer = false)
{
    /// <summary>The hidden line that starts every comment Overseer posts.</summary>
    public const string Marker = "<!-- overseer:trigger";
}

/// <summary>
/// An issue or merge request to comment on: GitHub's <c>owner/repo</c> and number (pull requests
/// take comments as issues do), or GitLab's project id and iid.
/// </summary>
/// <param name="Kind"><c>issue</c>, <c>pull_request</c> or <c>merge_request</c>.</param>
public sealed record PostbackTarget(string Provider, string Repository, string Kind, long Number);
