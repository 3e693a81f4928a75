namespace Overseer.Contracts.Api;

/// <summary>The <c>code</c> extension of problem details; stable strings clients can switch on.</summary>
public static class ErrorCodes
{
    public const string Unauthorized = "UNAUTHORIZED";
    public const string InvalidJson = "INVALID_JSON";
    public const string InvalidField = "INVALID_FIELD";
    /// <summary>A string that is not Unicode: invalid UTF-8 or an unpaired surrogate (<c>\uD800</c>).</summary>
    public const string InvalidText = "INVALID_TEXT";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string BodyTooLarge = "BODY_TOO_LARGE";
    public const string InvalidPath = "INVALID_PATH";
    public const string ProjectNested = "PROJECT_NESTED";
    public const string ProjectExists = "PROJECT_EXISTS";
    public const string ProjectNotFound = "PROJECT_NOT_FOUND";
    public const string ProjectInUse = "PROJECT_IN_USE";
    public const string ProjectInDataDirectory = "PROJECT_IN_DATA_DIRECTORY";
    public const string SessionNotFound = "SESSION_NOT_FOUND";
    public const string BlobNotFound = "BLOB_NOT_FOUND";
    public const string QuestionNotFound = "QUESTION_NOT_FOUND";
    public const string ReviewNotFound = "REVIEW_NOT_FOUND";
    public const string ApprovalNotFound = "APPROVAL_NOT_FOUND";
    public const string RuleNotFound = "RULE_NOT_FOUND";
    public const string ConfirmationRequired = "CONFIRMATION_REQUIRED";
    public const string InvalidState = "INVALID_STATE";
    public const string InvalidScript = "INVALID_SCRIPT";
    public const string UnknownRuntime = "UNKNOWN_RUNTIME";
    public const string InvalidAnswer = "INVALID_ANSWER";
    public const string ShuttingDown = "SHUTTING_DOWN";
    public const string NotAGitRepo = "NOT_A_GIT_REPO";
    public const string SecretNotFound = "SECRET_NOT_FOUND";
    public const string TemplateNotFound = "TEMPLATE_NOT_FOUND";
    public const string TemplateExists = "TEMPLATE_EXISTS";
    public const string TemplateBuiltIn = "TEMPLATE_BUILT_IN";
    public const string InvalidParameter = "INVALID_PARAMETER";
    public const string ScheduleNotFound = "SCHEDULE_NOT_FOUND";
    /// <summary>Another schedule of the project has the name.</summary>
    public const string ScheduleExists = "SCHEDULE_EXISTS";
    public const string SecretNameReserved = "SECRET_NAME_RESERVED";
    public const string SecretConflict = "SECRET_CONFLICT";
    public const string DependencyNotFound = "DEPENDENCY_NOT_FOUND";
    public const string NoWorktree = "NO_WORKTREE";
    public const string MergeConflict = "MERGE_CONFLICT";
    public const string GitFailed = "GIT_FAILED";

    /// <summary>A budget that covers the session (or the project, user or server) is spent: raise it or approve an overrun.</summary>
    public const string BudgetExceeded = "BUDGET_EXCEEDED";
    public const string BudgetNotFound = "BUDGET_NOT_FOUND";

    /// <summary>The session's worktree and branch were discarded: there are no changes left to show.</summary>
    public const string WorktreeDiscarded = "WORKTREE_DISCARDED";

    /// <summary>A search query with nothing to search for (only punctuation or operators).</summary>
    public const string InvalidQuery = "INVALID_QUERY";
    public const string NotFound = "NOT_FOUND";
    /// <summary>An <c>Idempotency-Key</c> already used, within its day, for a different request.</summary>
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string Internal = "INTERNAL";

    /// <summary>The caller is signed in but their role does not allow this; the detail names the role needed.</summary>
    public const string Forbidden = "FORBIDDEN";
    public const string UserNotFound = "USER_NOT_FOUND";
    public const string UserExists = "USER_EXISTS";
    /// <summary>The change would leave no enabled owner: someone must always be able to manage users.</summary>
    public const string LastOwner = "LAST_OWNER";
    public const string PasswordTooShort = "PASSWORD_TOO_SHORT";
    /// <summary>A rate limit (per token or per user) was hit: 429 with <c>Retry-After</c>.</summary>
    public const string RateLimited = "RATE_LIMITED";

    public const string TokenNotFound = "TOKEN_NOT_FOUND";
    // Dashboard sign-in: passkeys (the sign-in rate limits answer RATE_LIMITED too).
    public const string PasskeyRefused = "PASSKEY_REFUSED";
    public const string PasskeyChallengeExpired = "PASSKEY_CHALLENGE_EXPIRED";
    public const string PasskeysUnavailable = "PASSKEYS_UNAVAILABLE";

    // Monitoring: checks, alert rules and alerts.
    public const string CheckNotFound = "CHECK_NOT_FOUND";
    public const string CheckExists = "CHECK_EXISTS";
    public const string AlertRuleNotFound = "ALERT_RULE_NOT_FOUND";
    public const string AlertRuleExists = "ALERT_RULE_EXISTS";
    public const string AlertNotFound = "ALERT_NOT_FOUND";

    /// <summary>The check or rule comes from the settings file: change it there.</summary>
    public const string DefinedInSettings = "DEFINED_IN_SETTINGS";
}
