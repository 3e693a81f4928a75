using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer audit [--user] [--project] [--session] [--action] [--since] [--limit]</c>: who did what, newest first.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "Only what this person did (name or user id)" };
        var project = new Option<string>("--project") { Description = "Only in this project (id, unique prefix or name)" };
        var session = new Option<string>("--session") { Description = "Only in this session (id or unique prefix)" };
        var action = new Option<string>("--action") { Description = "Only this action (approval.approved) or kind of action (approval)" };
        var since = new Option<string>("--since") { Description = "Only since then: a time (ISO 8601) or an age (30m, 12h, 7d)" };
        var limit = new Option<int>("--limit") { Description = "At most this many rows", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var audit = new Command("audit", "Who did what: approvals, answers, reviews, messages, cancels, policy changes and tokens.")
        {
            user, project, session, action, since, limit, json,
        };
        ClientContext.SetAction(audit, async (parse, context, cancellationToken) =>
        {
            var query = new StringBuilder("api/audit?limit=").Append(Math.Clamp(parse.GetValue(limit), 1, ListLimits.MaxPageSize).ToString(CultureInfo.InvariantCulture));
            void Add(string name, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                    query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
            Add("user", parse.GetValue(user));
            if (parse.GetValue(project) is { } p)
                Add("project", await context.ResolveAsync(IdResolver.Project, p, cancellationToken));
            if (parse.GetValue(session) is { } s)
                Add("session", await context.ResolveAsync(IdResolver.Session, s, cancellationToken));
            Add("action", parse.GetValue(action));
            if (parse.GetValue(since) is { } given)
                Add("since", (Since(given, DateTimeOffset.UtcNow) ?? throw new CliException(ExitCodes.Usage, $"--since '{given}' is neither a time (2026-11-30T09:00Z) nor an age (30m, 12h, 7d).")).ToString("O", CultureInfo.InvariantCulture));
            var entries = (await context.Client.GetAsync(query.ToString(), OverseerJson.Default.ListResponseAuditEntryDto, cancellationToken)).Items;
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(entries, ClientContext.IndentedJson.IReadOnlyListAuditEntryDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("TIME", "BY", "ACTION", "SESSION", "WHAT").Flexible("WHAT");
            foreach (var e in entries)
                table.Add(Format.Time(e.At), e.By, e.Action, e.SessionId is { } id ? Format.ShortId(id) : "", e.Detail ?? e.Target ?? "");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });
        return audit;
    }

    /// <summary>A time, or an age before <paramref name="now"/> (<c>30m</c>, <c>12h</c>, <c>7d</c>); null when it is neither.</summary>
    public static DateTimeOffset? Since(string given, DateTimeOffset now)
    {
        if (given.Length >= 2 && int.TryParse(given.AsSpan(0, given.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            switch (given[^1])
            {
                case 'm': return now.AddMinutes(-n);
                case 'h': return now.AddHours(-n);
                case 'd': return now.AddDays(-n);
            }
        }
        return DateTimeOffset.TryParse(given, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
