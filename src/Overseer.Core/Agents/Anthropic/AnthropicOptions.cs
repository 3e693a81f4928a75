namespace Overseer.Core.Agents.Anthropic;

/// <summary>
/// The <c>anthropic</c> runtime (<c>Runtimes:Anthropic</c>): Overseer's own agent loop on the
/// Anthropic Messages API. Validated at start-up.
/// </summary>
public sealed class AnthropicOptions
{
    public const string Section = "Runtimes:Anthropic";

    /// <summary>The API's address; a proxy or a gateway speaking the Messages API works too.</summary>
    public string BaseUrl { get; set; } = "https://api.anthropic.com";

    /// <summary>The API key. When empty, the vault secret named <see cref="ApiKeySecret"/> is used.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The vault secret holding the key when <see cref="ApiKey"/> is empty. Grant it to no project
    /// (<c>"projects": []</c>) so it never reaches an agent's environment.
    /// </summary>
    public string ApiKeySecret { get; set; } = "ANTHROPIC_API_KEY";

    /// <summary>The model of a session that names none.</summary>
    public string Model { get; set; } = "claude-sonnet-4-5";

    /// <summary>Most tokens the model may write in one call (<c>max_tokens</c>); a longer answer is continued.</summary>
    public int MaxTokens { get; set; } = 16_000;

    /// <summary>Extended thinking: tokens the model may think per call; 0 turns it off. At least 1024, below <see cref="MaxTokens"/>.</summary>
    public int ThinkingBudgetTokens { get; set; }

    /// <summary>A model's context window, by model name; others have <see cref="DefaultContextWindow"/>.</summary>
    public Dictionary<string, int> ContextWindows { get; set; } = new(StringComparer.Ordinal);

    public int DefaultContextWindow { get; set; } = 200_000;

    /// <summary>Compact the conversation once a prompt would fill this fraction of the window.</summary>
    public double CompactAt { get; set; } = 0.8;

    /// <summary>At a compaction, about this fraction of the window of the latest conversation stays word for word.</summary>
    public double KeepRecent { get; set; } = 0.2;

    /// <summary>Most tokens of a compaction's summary.</summary>
    public int SummaryMaxTokens { get; set; } = 8_000;

    /// <summary>Times in a row a model cut off at <see cref="MaxTokens"/> is asked to go on.</summary>
    public int MaxContinuations { get; set; } = 3;

    /// <summary>
    /// Dollars per million tokens by model (<c>Prices:&lt;model&gt;:InputPerMTok</c>, …). A model
    /// missing here costs 0 and says so once per session. The defaults are the list prices of the
    /// models named; settings add models or override them.
    /// </summary>
    public Dictionary<string, AnthropicPrice> Prices { get; set; } = new(StringComparer.Ordinal)
    {
        ["claude-opus-4-5"] = new() { InputPerMTok = 5m, OutputPerMTok = 25m, CacheReadPerMTok = 0.5m, CacheWritePerMTok = 6.25m },
        ["claude-sonnet-4-5"] = new() { InputPerMTok = 3m, OutputPerMTok = 15m, CacheReadPerMTok = 0.3m, CacheWritePerMTok = 3.75m },
        ["claude-haiku-4-5"] = new() { InputPerMTok = 1m, OutputPerMTok = 5m, CacheReadPerMTok = 0.1m, CacheWritePerMTok = 1.25m },
    };

    /// <summary><c>default</c>, or <c>plan</c>: sessions start in plan mode (no changes until a plan is approved).</summary>
    public string PermissionMode { get; set; } = "default";

    /// <summary>Added to every session's system prompt.</summary>
    public string? Instructions { get; set; }

    /// <summary>Longest one model call may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a readiness check (key, endpoint, model) is trusted before it is made again.</summary>
    public TimeSpan ReadinessInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A Bash command's timeout when the model names none; and the most it may name.</summary>
    public TimeSpan BashTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan BashMaxTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest tool result, in characters (a command's output, a fetched page).</summary>
    public int MaxToolOutputChars { get; set; } = 30_000;

    public TimeSpan WebFetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public long WebFetchMaxBytes { get; set; } = 5 * 1024 * 1024;

    public int ContextWindowOf(string model) => ContextWindows.TryGetValue(model, out var window) ? window : DefaultContextWindow;

    /// <summary>The problem with these settings, or null.</summary>
    public string? Problem()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"{Section}:BaseUrl must be an http or https URL; it is '{BaseUrl}'.";
        if (string.IsNullOrWhiteSpace(Model))
            return $"{Section}:Model must name a model.";
        if (string.IsNullOrWhiteSpace(ApiKeySecret))
            return $"{Section}:ApiKeySecret must name a vault secret.";
        if (MaxTokens < 1)
            return $"{Section}:MaxTokens must be at least 1.";
        if (ThinkingBudgetTokens != 0 && (ThinkingBudgetTokens < 1024 || ThinkingBudgetTokens >= MaxTokens))
            return $"{Section}:ThinkingBudgetTokens must be 0 (off), or at least 1024 and below MaxTokens ({MaxTokens}).";
        if (DefaultContextWindow < 1024 || ContextWindows.Values.Any(w => w < 1024))
            return $"{Section}: context windows must be at least 1024 tokens.";
        if (CompactAt is <= 0 or > 1 || KeepRecent is < 0 or >= 1 || KeepRecent >= CompactAt)
            return $"{Section}: CompactAt must be in (0, 1], KeepRecent in [0, 1) and below CompactAt.";
        if (SummaryMaxTokens < 256 || MaxContinuations < 0)
            return $"{Section}: SummaryMaxTokens must be at least 256 and MaxContinuations not negative.";
        if (Prices.Values.Any(p => p.InputPerMTok < 0 || p.OutputPerMTok < 0 || p.CacheReadPerMTok < 0 || p.CacheWritePerMTok < 0))
            return $"{Section}:Prices must not be negative.";
        if (PermissionMode is not ("default" or "plan"))
            return $"{Section}:PermissionMode must be default or plan; it is '{PermissionMode}'.";
        if (RequestTimeout <= TimeSpan.Zero || ReadinessInterval <= TimeSpan.Zero || BashTimeout <= TimeSpan.Zero || BashMaxTimeout < BashTimeout || WebFetchTimeout <= TimeSpan.Zero)
            return $"{Section}: RequestTimeout, ReadinessInterval, BashTimeout and WebFetchTimeout must be positive, BashMaxTimeout at least BashTimeout.";
        if (MaxToolOutputChars < 1000 || WebFetchMaxBytes < 1024)
            return $"{Section}: MaxToolOutputChars must be at least 1000 and WebFetchMaxBytes at least 1024.";
        return null;
    }
}

/// <summary>Dollars per million tokens of one model (<c>Runtimes:Anthropic:Prices:&lt;model&gt;</c>).</summary>
public sealed class AnthropicPrice
{
    public decimal InputPerMTok { get; set; }

    public decimal OutputPerMTok { get; set; }

    public decimal CacheReadPerMTok { get; set; }

    public decimal CacheWritePerMTok { get; set; }
}
