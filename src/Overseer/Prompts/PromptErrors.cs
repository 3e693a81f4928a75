namespace Overseer.Prompts;

/// <summary>Problem codes of <c>POST /api/prompts/optimize</c>.</summary>
public static class PromptErrors
{
    /// <summary>503: no optimiser is configured (Prompts:Optimizer:ApiKey or ApiKeySecret).</summary>
    public const string NotConfigured = "OPTIMIZER_NOT_CONFIGURED";
    /// <summary>502: the optimiser's API refused or failed; the detail says how.</summary>
    public const string Failed = "OPTIMIZER_FAILED";
}
