using System.Text.RegularExpressions;

namespace Overseer.Core.Agents.Router;

/// <summary>
/// The <c>router</c> runtime (<c>Runtimes:Router</c>): one conversation whose turns go to one of
/// several routes — a runtime on Overseer's own loop (anthropic, openai) and a model — chosen per
/// turn by an override in the message, the rules, then the cost preference; a route that fails
/// (429, 5xx, a timeout, a server that is down) hands the turn to the next in
/// <see cref="Fallback"/>. Off until <see cref="Routes"/> has one. Validated at start-up.
/// </summary>
public sealed partial class RouterOptions
{
    public const string Section = "Runtimes:Router";

    /// <summary>The routes by name (<c>Routes:local:Runtime = openai</c>, <c>Routes:local:Model = qwen2.5-coder:7b</c>). A name is what <c>@name</c> overrides.</summary>
    public Dictionary<string, RouteOptions> Routes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tried in order; the first whose every condition holds picks the turn's route.</summary>
    public List<RouteRule> Rules { get; set; } = [];

    /// <summary>The route of a turn no override or rule picks (unless <see cref="Prefer"/> is <c>cheapest</c>). Default: the first route.</summary>
    public string? Default { get; set; }

    /// <summary><c>default</c>: the <see cref="Default"/> route; <c>cheapest</c>: the route whose model costs least per token.</summary>
    public string Prefer { get; set; } = "default";

    /// <summary>Where a failed turn goes next, in order (the chosen route is skipped). Empty: no fallback.</summary>
    public List<string> Fallback { get; set; } = [];

    /// <summary>Whether an <c>@route</c> at the start of a message picks the route (and is taken off the message).</summary>
    public bool AllowOverrides { get; set; } = true;

    public double CompactAt { get; set; } = 0.8;

    public double KeepRecent { get; set; } = 0.2;

    public int SummaryMaxTokens { get; set; } = 4_000;

    public int MaxContinuations { get; set; } = 3;

    /// <summary><c>default</c>, or <c>plan</c>: sessions start in plan mode.</summary>
    public string PermissionMode { get; set; } = "default";

    public string? Instructions { get; set; }

    public bool Enabled => Routes.Count > 0;

    /// <summary>The problem with these settings, or null. Not checked when the router is off.</summary>
    public string? Problem()
    {
        if (!Enabled)
            return null;
        foreach (var (name, route) in Routes)
        {
            if (!RouteName().IsMatch(name))
                return $"{Section}:Routes: '{name}' is no route name (letters, digits, - and _, starting with a letter).";
            if (route.Runtime is not ("anthropic" or "openai"))
                return $"{Section}:Routes:{name}:Runtime must be anthropic or openai; it is '{route.Runtime}'.";
        }
        if (Default is not null && !Routes.ContainsKey(Default))
            return $"{Section}:Default names no route: '{Default}' (routes: {string.Join(", ", Routes.Keys)}).";
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (!Routes.ContainsKey(rule.Target ?? ""))
                return $"{Section}:Rules:{i}:Target names no route: '{rule.Target}'.";
            if (rule.Pattern is { Length: > 0 } pattern)
            {
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException ex)
                {
                    return $"{Section}:Rules:{i}:Pattern is no regular expression: {ex.Message}";
                }
            }
            if (rule.MinLength < 0 || rule.MaxLength < 0)
                return $"{Section}:Rules:{i}: MinLength and MaxLength must not be negative.";
        }
        if (Fallback.FirstOrDefault(f => !Routes.ContainsKey(f)) is { } unknown)
            return $"{Section}:Fallback names no route: '{unknown}'.";
        if (Prefer is not ("default" or "cheapest"))
            return $"{Section}:Prefer must be default or cheapest; it is '{Prefer}'.";
        if (CompactAt is <= 0 or > 1 || KeepRecent is < 0 or >= 1 || KeepRecent >= CompactAt)
            return $"{Section}: CompactAt must be in (0, 1], KeepRecent in [0, 1) and below CompactAt.";
        if (SummaryMaxTokens < 256 || MaxContinuations < 0)
            return $"{Section}: SummaryMaxTokens must be at least 256 and MaxContinuations not negative.";
        if (PermissionMode is not ("default" or "plan"))
            return $"{Section}:PermissionMode must be default or plan; it is '{PermissionMode}'.";
        return null;
    }

    public string DefaultRoute => Default ?? Routes.Keys.Order(StringComparer.Ordinal).First();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex RouteName();
}
