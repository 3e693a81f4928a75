using System.Text.Json;

namespace Overseer.Triggers;

/// <summary>
/// Reads GitHub's, GitLab's and generic payloads into a <see cref="HookEvent"/>. GitHub names the
/// event in <c>X-GitHub-Event</c> and the action in the body; GitLab in <c>X-Gitlab-Event</c> and
/// <c>object_attributes.action</c>; a generic sender in <c>X-Overseer-Event</c> (or the body's <c>event</c>).
/// </summary>
internal static class ProviderPayloads
{
    public const string Ping = "ping";

    public static HookEvent Read(string provider, HttpRequest request, JsonElement payload) => provider switch
    {
        TriggerProviders.GitHub => GitHub(request.Headers["X-GitHub-Event"].ToString(), payload),
        TriggerProviders.GitLab => GitLab(request.Headers["X-Gitlab-Event"].ToString(), payload),
        _ => Generic(request.Headers["X-Overseer-Event"].ToString(), payload),
    };

    public static HookEvent GitHub(string kind, JsonElement p)
    {
        var action = Str(p, "action");
        var repository = Str(p, "repository", "full_name");
        switch (kind)
        {
            case "ping":
                return new HookEvent(Ping, p, [], Repository: repository);
            case "issues":
                return new HookEvent("issues." + action, p, Label(p), Title: Str(p, "issue", "title"), Body: Str(p, "issue", "body"), Url: Str(p, "issue", "html_url"),
                    Number: Num(p, "issue", "number"), Author: Str(p, "issue", "user", "login"), Repository: repository, Target: Target(repository, "issue", Num(p, "issue", "number")));
            case "pull_request":
                return new HookEvent("pull_request." + action, p, Label(p), Title: Str(p, "pull_request", "title"), Body: Str(p, "pull_request", "body"),
                    Url: Str(p, "pull_request", "html_url"), Branch: Str(p, "pull_request", "head", "ref"), Number: Num(p, "pull_request", "number"),
                    Author: Str(p, "pull_request", "user", "login"), Repository: repository, Target: Target(repository, "pull_request", Num(p, "pull_request", "number")));
            case "issue_comment":
                var comment = Str(p, "comment", "body");
                var onPullRequest = p.TryGetProperty("issue", out var issue) && issue.ValueKind == JsonValueKind.Object && issue.TryGetProperty("pull_request", out _);
                return new HookEvent("issue_comment." + action, p, [], comment, Str(p, "issue", "title"), Str(p, "issue", "body"), Str(p, "issue", "html_url"),
                    Number: Num(p, "issue", "number"), Author: Str(p, "comment", "user", "login"), Repository: repository,
                    Target: Target(repository, onPullRequest ? "pull_request" : "issue", Num(p, "issue", "number")), FromOverseer: IsOurs(comment));
            default:
                return new HookEvent(string.IsNullOrEmpty(action) ? kind : kind + "." + action, p, [], Repository: repository);
        }

        static PostbackTarget? Target(string? repository, string kind, long? number) =>
            repository is not null && number is { } n ? new PostbackTarget(TriggerProviders.GitHub, repository, kind, n) : null;
        static IReadOnlyList<string> Label(JsonElement p) => Str(p, "label", "name") is { } name ? [name] : [];
    }

    public static HookEvent GitLab(string kind, JsonElement p)
    {
        var projectId = Num(p, "project", "id")?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var repository = Str(p, "project", "path_with_namespace");
        var author = Str(p, "user", "username");
        switch (kind)
        {
            case "Issue Hook" or "Confidential Issue Hook":
            {
                var iid = Num(p, "object_attributes", "iid");
                var (name, labels) = Action(p, "issues");
                return new HookEvent(name, p, labels, Title: Str(p, "object_attributes", "title"), Body: Str(p, "object_attributes", "description"),
                    Url: Str(p, "object_attributes", "url"), Number: iid, Author: author, Repository: repository, Target: Target(projectId, "issue", iid));
            }
            case "Merge Request Hook":
            {
                var iid = Num(p, "object_attributes", "iid");
                var (name, labels) = Action(p, "pull_request");
                return new HookEvent(name, p, labels, Title: Str(p, "object_attributes", "title"), Body: Str(p, "object_attributes", "description"),
                    Url: Str(p, "object_attributes", "url"), Branch: Str(p, "object_attributes", "source_branch"), Number: iid, Author: author,
                    Repository: repository, Target: Target(projectId, "merge_request", iid));
            }
            case "Note Hook" or "Confidential Note Hook":
            {
                var comment = Str(p, "object_attributes", "note");
                var (on, kindOfTarget) = Str(p, "object_attributes", "noteable_type") switch
                {
                    "Issue" => ("issue", "issue"),
                    "MergeRequest" => ("merge_request", "merge_request"),
                    var other => (null, other ?? "unknown"),
                };
                if (on is null)
                    return new HookEvent("note." + kindOfTarget.ToLowerInvariant(), p, [], comment, Repository: repository, FromOverseer: IsOurs(comment));
                var iid = Num(p, on, "iid");
                return new HookEvent(TriggerProviders.CommentCreated, p, [], comment, Str(p, on, "title"), Str(p, on, "description"), Str(p, on, "url"),
                    on == "merge_request" ? Str(p, on, "source_branch") : null, iid, author, repository, Target(projectId, kindOfTarget, iid), IsOurs(comment));
            }
            default:
                return new HookEvent(string.IsNullOrEmpty(kind) ? "unknown" : kind, p, [], Repository: repository);
        }

        static PostbackTarget? Target(string? projectId, string kind, long? iid) =>
            projectId is not null && iid is { } n ? new PostbackTarget(TriggerProviders.GitLab, projectId, kind, n) : null;

        // GitLab says "open" and "update"; an update that adds labels is a label event (one per label added).
        static (string Name, IReadOnlyList<string> Labels) Action(JsonElement p, string prefix)
        {
            var action = Str(p, "object_attributes", "action");
            if (action == "open")
                return (prefix + ".opened", []);
            if (action == "update")
            {
                var added = Titles(p, "current").Except(Titles(p, "previous"), StringComparer.Ordinal).ToList();
                if (added.Count > 0)
                    return (prefix + ".labeled", added);
            }
            return (prefix + "." + (action ?? "unknown"), []);
        }

        static IEnumerable<string> Titles(JsonElement p, string which) =>
            p.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty("labels", out var labels)
            && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(which, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("title", out var t) ? t.GetString() : null).OfType<string>()
                : [];
    }

    public static HookEvent Generic(string header, JsonElement p)
    {
        var name = header.Length > 0 ? header : Str(p, "event") ?? "";
        return new HookEvent(name, p, Str(p, "label") is { } label ? [label] : [], Str(p, "comment"), Str(p, "title"), Str(p, "body"), Str(p, "url"),
            Str(p, "branch"), Num(p, "number"), Str(p, "author"), Str(p, "repository"), null, IsOurs(Str(p, "comment")));
    }

    private static bool IsOurs(string? comment) => comment?.Contains(HookEvent.Marker, StringComparison.Ordinal) == true;

    private static string? Str(JsonElement e, params string[] path) => At(e, path) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static long? Num(JsonElement e, params string[] path) => At(e, path) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) ? v : null;

    private static JsonElement? At(JsonElement e, string[] path)
    {
        foreach (var step in path)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(step, out e))
                return null;
        }
        return e;
    }
}
