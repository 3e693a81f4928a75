using System.Text.Json;

namespace Overseer.Cli.Client;

/// <summary>
/// Turns what the user typed into a full id: an exact id, or a unique prefix of one (with or
/// without the kind's <c>s_</c>/<c>a_</c>... prefix), found through the kind's list endpoint.
/// </summary>
public sealed class IdResolver(OverseerClient client)
{
    public static readonly ItemKind Session = new("session", "api/sessions", "s_");
    public static readonly ItemKind Project = new("project", "api/projects", "p_");
    public static readonly ItemKind Approval = new("approval", "api/approvals", "a_");
    public static readonly ItemKind Question = new("question", "api/questions", "q_");
    public static readonly ItemKind Dependency = new("dependency", "api/dependencies", "d_");
    public static readonly ItemKind Review = new("review", "api/reviews", "r_");
    public static readonly ItemKind Template = new("template", "api/templates", "tpl_");
    public static readonly ItemKind Schedule = new("schedule", "api/schedules", "sch_");
    public static readonly ItemKind Trigger = new("trigger", "api/triggers", "trg_");

    public async Task<string> ResolveAsync(ItemKind kind, string typed, CancellationToken cancellationToken)
    {
        typed = typed.Trim();
        if (typed.Length == 0)
            throw new CliException(ExitCodes.Usage, $"an empty {kind.Noun} id");
        // A whole id is looked up directly: listing a long history to find it would be wasteful.
        if (IsWholeId(kind, typed))
        {
            try
            {
                await client.GetStringAsync($"{kind.ListPath}/{typed}", cancellationToken);
                return typed;
            }
            catch (CliException ex) when (ex.ExitCode == ExitCodes.NotFound)
            {
                throw new CliException(ExitCodes.NotFound, $"{kind.Noun} '{typed}' not found");
            }
        }
        var candidates = new List<string>();
        var names = new List<string>();
        await foreach (var item in ListAsync(kind, cancellationToken))
        {
            var id = item.GetProperty("id").GetString()!;
            if (id == typed)
                return id;
            if (id.StartsWith(typed, StringComparison.Ordinal) || id.StartsWith(kind.IdPrefix + typed, StringComparison.Ordinal))
                candidates.Add(id);
            // Projects are as easily known by name as by id.
            if (item.TryGetProperty("name", out var name) && name.GetString() == typed)
                names.Add(id);
        }
        var matches = names.Count > 0 ? names : candidates;
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException(ExitCodes.NotFound, $"{kind.Noun} '{typed}' not found"),
            _ => throw new CliException(ExitCodes.Usage,
                $"{kind.Noun} id '{typed}' is ambiguous: {string.Join(", ", matches.Take(10))}{(matches.Count > 10 ? $" and {matches.Count - 10} more" : "")}"),
        };
    }

    /// <summary>Ids are the kind's prefix and 16 base-36 characters (Core's <c>Ids.New</c>).</summary>
    private static bool IsWholeId(ItemKind kind, string typed) =>
        typed.Length == kind.IdPrefix.Length + 16
        && typed.StartsWith(kind.IdPrefix, StringComparison.Ordinal)
        && !typed.AsSpan(kind.IdPrefix.Length).ContainsAnyExcept("0123456789abcdefghijklmnopqrstuvwxyz");

    private async IAsyncEnumerable<JsonElement> ListAsync(ItemKind kind, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var json = await client.GetStringAsync($"{kind.ListPath}?limit={OverseerClient.PageSize}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), cancellationToken);
            using var page = JsonDocument.Parse(json);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                yield return item.Clone();
            cursor = page.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
    }
}
