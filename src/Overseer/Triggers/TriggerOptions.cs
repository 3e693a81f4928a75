using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Overseer.Triggers;

/// <summary>Settings under <c>Triggers</c>: what a hook may send, how often, and how results are posted back.</summary>
public sealed class TriggerOptions
{
    public const string Section = "Triggers";

    /// <summary>The largest webhook body accepted; a larger one answers 413 and starts nothing.</summary>
    [Range(1024, 26_214_400)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Signed deliveries one trigger takes a minute (bursts included); more answer 429.</summary>
    [Range(1, 100_000)]
    public int PerTriggerPerMinute { get; set; } = 60;

    /// <summary>How far a generic hook's <c>X-Overseer-Timestamp</c> may be from now.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts at posting a result back before it is given up (dead).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed post-back; it doubles with each further one, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one post-back may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest result quoted in a comment; a longer one is cut at a paragraph or word, and the comment links to the session.</summary>
    [Range(200, 60_000)]
    public int MaxSummaryChars { get; set; } = 4000;
}

[OptionsValidator]
internal sealed partial class TriggerOptionsValidator : IValidateOptions<TriggerOptions>;
