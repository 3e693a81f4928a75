using Overseer.Contracts.Api;

namespace Overseer.Dashboard;

/// <summary>
/// What an error says on the page: the API keeps its codes and field-named messages for
/// programs; a person gets what happened and what to do, in words.
/// </summary>
internal static class PlainErrors
{
    public static string Of(string? code, string? field, string? message) => code switch
    {
        ErrorCodes.InvalidAnswer => "Answer every question: pick an option or type your own answer.",
        ErrorCodes.InvalidField or ErrorCodes.InvalidText => (field ?? FirstWord(message)) switch
        {
            "prompt" => "Write what the agent should do.",
            "projectId" => "Choose a project.",
            "text" => "Write a message first.",
            "feedback" => "Say what should change before requesting changes.",
            "budgetUsd" => "The budget is an amount in US dollars more than 0, or empty for none.",
            _ => message ?? "Something in the form is not right.",
        },
        ErrorCodes.UnknownRuntime => "That runtime is not offered on this server; pick another.",
        ErrorCodes.InvalidScript => "That runtime cannot take this session's script; pick another.",
        ErrorCodes.NotAGitRepo => "An own git worktree needs the project to be a git repository with at least one commit. Pick \"shared directory\" or commit first.",
        ErrorCodes.GitFailed => "Git could not do it: " + message,
        ErrorCodes.ShuttingDown => "Overseer is shutting down; try again once it is back.",
        ErrorCodes.ProjectNotFound => "That project no longer exists. Reload the page.",
        ErrorCodes.SessionNotFound => "That session no longer exists. Reload the page.",
        ErrorCodes.ApprovalNotFound or ErrorCodes.QuestionNotFound or ErrorCodes.ReviewNotFound or ErrorCodes.DependencyNotFound
            => "That item no longer exists. Reload the page.",
        ErrorCodes.ProjectInUse => message?.Replace("The project has", "This project still has", StringComparison.Ordinal) ?? "This project still has sessions that have not ended.",
        ErrorCodes.ProjectInDataDirectory => "That directory is, holds or lies inside Overseer's own data directory, which agents must never see. Choose another one.",
        ErrorCodes.ProjectExists => "There is already a project for that directory.",
        // The API's hints name routes; a person has the Budgets page and the session's own.
        ErrorCodes.BudgetExceeded => (message ?? "A budget is spent.")
            .Replace(" (PUT /api/budgets)", " on the Budgets page", StringComparison.Ordinal)
            .Replace($" (POST /api/sessions/{SessionIdIn(message)}/budget/approve-overrun)", " on the session's page", StringComparison.Ordinal),
        _ => message ?? "That did not work.",
    };

    /// <summary>The project form's path problems, from what is actually at the path (the codes lump them together).</summary>
    public static string ProjectPath(string? path, IReadOnlyList<string> roots) =>
        string.IsNullOrWhiteSpace(path) ? "Enter the project's directory."
        : !Path.IsPathFullyQualified(path) ? $"Enter a full path, such as {Path.Combine(roots.FirstOrDefault() ?? "/home/me", "src", "app")} or ~/src/app."
        : File.Exists(path) ? $"{path} is a file; choose a directory."
        : !Directory.Exists(path) ? $"There is no directory at {path}."
        : $"Projects must lie under {string.Join(" or ", roots)} (the server's Projects:AllowedRoots); {path} does not.";

    /// <summary>"~" and "~/…" mean the server user's home, as in a shell.</summary>
    public static string? ExpandHome(string? path)
    {
        if (path is null)
            return null;
        path = path.Trim();
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return path == "~" ? home
            : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..])
            : path;
    }

    private static string SessionIdIn(string? message) =>
        message is not null && message.IndexOf("/api/sessions/", StringComparison.Ordinal) is >= 0 and var at
            ? message[(at + "/api/sessions/".Length)..].Split('/', 2)[0]
            : "";

    private static string? FirstWord(string? message) =>
        message?.Split(' ', 2)[0].TrimEnd(':', '.', ',');
}
