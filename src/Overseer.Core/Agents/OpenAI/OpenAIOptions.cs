namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// The <c>openai</c> runtime (<c>Runtimes:OpenAI</c>): Overseer's own agent loop on any
/// OpenAI-compatible chat-completions endpoint (OpenAI itself, or a local model served by Ollama,
/// vLLM, llama.cpp's server or LM Studio). Off until <see cref="BaseUrl"/> is set. Validated at start-up.
/// </summary>
public sealed class OpenAIOptions
{
    public const string Section = "Runtimes:OpenAI";

    /// <summary>
    /// The API's address up to and including its version, e.g. <c>http://127.0.0.1:11434/v1</c>
    /// (Ollama); calls go to <c>{BaseUrl}/chat/completions</c> and <c>{BaseUrl}/models</c>. Empty: no
    /// <c>openai</c> runtime.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key, sent as a bearer token. When empty, the vault secret <see cref="ApiKeySecret"/>; a local server needs none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The vault secret holding the key when <see cref="ApiKey"/> is empty (grant it to no project).</summary>
    public string ApiKeySecret { get; set; } = "OPENAI_API_KEY";

    /// <summary>The model of a session that names none, as the server lists it (<c>qwen2.5-coder:7b</c>, <c>gpt-4.1</c>).</summary>
    public string Model { get; set; } = "gpt-4.1";

    /// <summary>
    /// <c>auto</c>: send the tools, and should the server answer that the model cannot use tools,
    /// go on without them (plain chat) for that model; <c>on</c>: always send them; <c>off</c>:
    /// never (plain chat: the model answers in text and changes nothing).
    /// </summary>
    public string ToolCalling { get; set; } = "auto";

    /// <summary>Most tokens the model may write in one call (<c>max_tokens</c>); a longer answer is continued.</summary>
    public int MaxTokens { get; set; } = 8_000;

    /// <summary>
    /// What is known of each model: its price and context window. A list, not a map by name, because
    /// local model names hold colons (<c>qwen2.5-coder:7b</c>), the settings' path separator:
    /// <c>Models:0:Name</c>, <c>Models:0:InputPerMTok</c>, … A model missing here has no price (its
    /// calls cost 0, and a session says so once) and <see cref="DefaultContextWindow"/>.
    /// </summary>
    public List<OpenAIModel> Models { get; set; } = [];

    /// <summary>Local servers often run a model with a small window (Ollama's default is 4096 tokens unless raised): say it here.</summary>
    public int DefaultContextWindow { get; set; } = 32_768;

    public double CompactAt { get; set; } = 0.8;

    public double KeepRecent { get; set; } = 0.2;

    public int SummaryMaxTokens { get; set; } = 4_000;

    public int MaxContinuations { get; set; } = 3;

    /// <summary><c>default</c>, or <c>plan</c>: sessions start in plan mode.</summary>
    public string PermissionMode { get; set; } = "default";

    /// <summary>Added to every session's system prompt.</summary>
    public string? Instructions { get; set; }

    /// <summary>Longest one model call may take; past it the endpoint counts as unavailable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait for a connection: a local server that is down is known quickly.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a readiness check (endpoint, model) is trusted before it is made again.</summary>
    public TimeSpan ReadinessInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(BaseUrl);

    public OpenAIModel? ModelNamed(string model) => Models.LastOrDefault(m => string.Equals(m.Name, model, StringComparison.Ordinal));

    public int ContextWindowOf(string model) => ModelNamed(model)?.ContextWindow ?? DefaultContextWindow;

    /// <summary>The problem with these settings, or null. Settings of a runtime that is off are not checked.</summary>
    public string? Problem()
    {
        if (!Enabled)
            return null;
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"{Section}:BaseUrl must be an http or https URL such as http://127.0.0.1:11434/v1; it is '{BaseUrl}'.";
        if (string.IsNullOrWhiteSpace(Model))
            return $"{Section}:Model must name a model.";
        if (string.IsNullOrWhiteSpace(ApiKeySecret))
            return $"{Section}:ApiKeySecret must name a vault secret.";
        if (ToolCalling is not ("auto" or "on" or "off"))
            return $"{Section}:ToolCalling must be auto, on or off; it is '{ToolCalling}'.";
        if (MaxTokens < 1)
            return $"{Section}:MaxTokens must be at least 1.";
        if (Models.Any(m => string.IsNullOrWhiteSpace(m.Name)))
            return $"{Section}:Models: every entry needs a Name.";
        if (DefaultContextWindow < 1024 || Models.Any(m => m.ContextWindow is < 1024))
            return $"{Section}: context windows must be at least 1024 tokens.";
        if (CompactAt is <= 0 or > 1 || KeepRecent is < 0 or >= 1 || KeepRecent >= CompactAt)
            return $"{Section}: CompactAt must be in (0, 1], KeepRecent in [0, 1) and below CompactAt.";
        if (SummaryMaxTokens < 256 || MaxContinuations < 0)
            return $"{Section}: SummaryMaxTokens must be at least 256 and MaxContinuations not negative.";
        if (Models.Any(p => p.InputPerMTok < 0 || p.OutputPerMTok < 0 || p.CacheReadPerMTok < 0))
            return $"{Section}:Models: prices must not be negative.";
        if (PermissionMode is not ("default" or "plan"))
            return $"{Section}:PermissionMode must be default or plan; it is '{PermissionMode}'.";
        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero || ReadinessInterval <= TimeSpan.Zero)
            return $"{Section}: RequestTimeout, ConnectTimeout and ReadinessInterval must be positive.";
        return null;
    }
}
