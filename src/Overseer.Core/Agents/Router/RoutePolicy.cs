using System.Text.RegularExpressions;

namespace Overseer.Core.Agents.Router;

/// <summary>
/// The router's intent classifier, rules first: an explicit <c>@route</c> at the start of the
/// message wins; then the first rule whose conditions all hold; then the cost preference (the
/// default route, or the cheapest). Pure: the same message and settings choose the same route.
/// </summary>
internal static partial class RoutePolicy
{
    public static RouteChoice Choose(string message, RouterOptions options, Func<string, decimal?> costOf)
    {
        if (options.AllowOverrides && Override(message, options) is { } named)
            return new RouteChoice(named, $"override @{named} in the message");
        for (var i = 0; i < options.Rules.Count; i++)
        {
            if (Matches(options.Rules[i], message) is { } why)
                return new RouteChoice(options.Rules[i].Target!, $"rule {i + 1}: {why}");
        }
        if (options.Prefer == "cheapest")
        {
            var cheapest = options.Routes.Keys
                .Select(name => (Name: name, Cost: costOf(name)))
                .Where(r => r.Cost is not null)
                .OrderBy(r => r.Cost)
                .FirstOrDefault();
            if (cheapest.Name is not null)
                return new RouteChoice(cheapest.Name, $"no rule matched; the cheapest route ({cheapest.Cost:0.###} $ per million tokens)");
        }
        return new RouteChoice(options.DefaultRoute, "no rule matched; the default route");
    }

    /// <summary>The route a leading <c>@name</c> names, or null.</summary>
    public static string? Override(string message, RouterOptions options)
    {
        var match = LeadingRoute().Match(message);
        return match.Success && options.Routes.ContainsKey(match.Groups[1].Value) ? match.Groups[1].Value : null;
    }

    /// <summary>The message without a leading <c>@route</c> that names a route.</summary>
    public static string WithoutOverride(string message, RouterOptions options) =>
        Override(message, options) is null ? message : LeadingRoute().Replace(message, "", 1).TrimStart();

    /// <summary>Why the rule matches (its conditions, in words), or null when one does not hold.</summary>
    private static string? Matches(RouteRule rule, string message)
    {
        var why = new List<string>();
        if (rule.Keywords.Count > 0)
        {
            var keyword = rule.Keywords.FirstOrDefault(k => k.Length > 0 && Regex.IsMatch(message, $@"(?<!\w){Regex.Escape(k)}(?!\w)", RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(100)));
            if (keyword is null)
                return null;
            why.Add($"the keyword '{keyword}'");
        }
        if (rule.Pattern is { Length: > 0 } pattern)
        {
            if (!Regex.IsMatch(message, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                return null;
            why.Add($"matches /{pattern}/");
        }
        if (rule.MinLength > 0)
        {
            if (message.Length < rule.MinLength)
                return null;
            why.Add($"{message.Length} characters (at least {rule.MinLength})");
        }
        if (rule.MaxLength > 0)
        {
            if (message.Length > rule.MaxLength)
                return null;
            why.Add($"{message.Length} characters (at most {rule.MaxLength})");
        }
        if (rule.NeedsTools is { } needsTools)
        {
            var signal = ToolSignal(message);
            if ((signal is not null) != needsTools)
                return null;
            why.Add(needsTools ? $"needs tools ({signal})" : "needs no tools");
        }
        if (rule.Attachments is { } attachments)
        {
            if (HasAttachment(message) != attachments)
                return null;
            why.Add(attachments ? "carries pasted material" : "carries no pasted material");
        }
        return why.Count == 0 ? "always" : string.Join(", ", why);
    }

    /// <summary>What says the message asks for work with tools — a change, a command, a file — or null for a question to answer in words.</summary>
    public static string? ToolSignal(string message)
    {
        if (message.Contains("```", StringComparison.Ordinal))
            return "a code block";
        if (FilePath().Match(message) is { Success: true } path)
            return $"the file {path.Value}";
        if (WorkVerb().Match(message) is { Success: true } verb)
            return $"'{verb.Value.ToLowerInvariant()}'";
        return null;
    }

    private static bool HasAttachment(string message) =>
        message.Contains("```", StringComparison.Ordinal) || FileReference().IsMatch(message);

    [GeneratedRegex(@"^@([A-Za-z][A-Za-z0-9_-]*)(?=\s|$)")]
    private static partial Regex LeadingRoute();

    [GeneratedRegex(@"\b(fix|implement|refactor|change|edit|modify|write|create|add|remove|delete|rename|run|test|build|install|commit|debug|update|migrate|deploy)\b", RegexOptions.IgnoreCase)]
    private static partial Regex WorkVerb();

    [GeneratedRegex(@"(?<![\w@])[\w./-]*[\w-]+\.(cs|csproj|ts|tsx|js|jsx|py|go|rs|java|kt|rb|php|c|h|cpp|hpp|sh|sql|md|json|ya?ml|toml|xml|html|css|razor)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FilePath();

    [GeneratedRegex(@"(^|\s)@[\w./-]+\.\w+")]
    private static partial Regex FileReference();
}
