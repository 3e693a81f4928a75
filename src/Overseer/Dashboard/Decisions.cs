namespace Overseer.Dashboard;

/// <summary>
/// How a decided approval reads, said once: "approved by admin", "denied by admin: too risky",
/// "denied automatically: not decided within 30 minutes" — never the API's how-code beside the
/// verb, nor the reason the server composed from the same words ("Denied by admin.").
/// </summary>
internal static class Decisions
{
    public static string Approval(string? decision, string? by, string? how, string? reason)
    {
        var verb = decision ?? "decided";
        var who = by ?? "the server";
        return how switch
        {
            "timeout" => $"{verb} automatically" + Tail(reason),
            "cancelled" => "withdrawn" + Tail(reason),
            "remember" => $"{verb} by {who}, and remembered",
            "hibernate" => $"{verb} by {who}, and the session hibernated" + Tail(PersonsReason(reason, who)),
            _ => $"{verb} by {who}" + Tail(PersonsReason(reason, who)),
        };
    }

    /// <summary>Only what the person added: the server words a denial "Denied by X." or "Denied by X: why".</summary>
    private static string? PersonsReason(string? reason, string by)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return null;
        var prefix = $"Denied by {by}";
        if (!reason.StartsWith(prefix, StringComparison.Ordinal))
            return reason;
        var rest = reason[prefix.Length..].TrimStart(':', '.', ' ');
        return rest.Length > 0 ? rest : null;
    }

    private static string Tail(string? text) => string.IsNullOrWhiteSpace(text) ? "" : ": " + text.Trim().TrimEnd('.');
}
