namespace Overseer.Triggers;

/// <summary>Who sends a trigger's webhooks, and the events its rules may name.</summary>
public static class TriggerProviders
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    /// <summary>Anything that signs its JSON the way Overseer's own outgoing webhooks do.</summary>
    public const string Generic = "generic";

    public static readonly IReadOnlyList<string> All = [GitHub, GitLab, Generic];

    public const string IssueOpened = "issues.opened";
    public const string IssueLabeled = "issues.labeled";
    public const string CommentCreated = "issue_comment.created";
    public const string PullRequestOpened = "pull_request.opened";
    public const string PullRequestLabeled = "pull_request.labeled";

    /// <summary>
    /// The events GitHub and GitLab rules name, in GitHub's words: a GitLab "Issue Hook" opening an
    /// issue is <c>issues.opened</c>, a "Merge Request Hook" is <c>pull_request.*</c>, a "Note Hook"
    /// on an issue or merge request is <c>issue_comment.created</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> Events = [IssueOpened, IssueLabeled, CommentCreated, PullRequestOpened, PullRequestLabeled];

    /// <summary>The public API a provider's comments go through unless the trigger names another.</summary>
    public static string? DefaultApiBaseUrl(string provider) => provider switch
    {
        GitHub => "https://api.github.com",
        GitLab => "https://gitlab.com/api/v4",
        _ => null,
    };

    public static bool IsLabelEvent(string name) => name is IssueLabeled or PullRequestLabeled;
}
