using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Overseer.Prompts;

/// <summary>
/// Settings under <c>Prompts:Optimizer</c>: the Anthropic Messages API that rewrites prompts. It
/// is on once it has a key: <c>ApiKey</c> itself, or <c>ApiKeySecret</c>, the name of a vault
/// secret holding it (kept out of configuration files).
/// </summary>
public sealed class PromptOptimizerOptions
{
    public const string Section = "Prompts:Optimizer";

    /// <summary>The API's address (a proxy, a gateway, the tests' mock).</summary>
    [Url]
    public string BaseUrl { get; set; } = "https://api.anthropic.com";

    public string? ApiKey { get; set; }

    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    public string? ApiKeySecret { get; set; }

    [Required]
    public string Model { get; set; } = "claude-sonnet-4-5";

    /// <summary>The longest suggestion asked for, in tokens.</summary>
    [Range(256, 64_000)]
    public int MaxTokens { get; set; } = 4096;

    /// <summary>How long one rewrite may take.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(ApiKeySecret);
}

[OptionsValidator]
internal sealed partial class PromptOptimizerOptionsValidator : IValidateOptions<PromptOptimizerOptions>;
