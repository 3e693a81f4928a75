using System.Text.Json;
using Overseer.Storage;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// What a notification says, read when it goes out: the item's tool, command, tier, question or
/// error, a link to its page, and signed actions for the person it goes to. Null when the item was
/// decided meanwhile (nobody needs to hear of it any more).
/// </summary>
internal sealed class NotificationContent(IReadModel readModel, ActionLinks links, NotificationUrls urls, IEventStore events, IBudgetStore budgets,
    IMonitoringStore monitoring, TimeProvider time)
{
    public async Task<NotificationItem?> DescribeAsync(NotificationRecord n, CancellationToken cancellationToken)
    {
        var sessionUrl = urls.Absolute(n.SessionId is null ? "/inbox" : $"/sessions/{n.SessionId}");
        var session = n.SessionId is null ? null : await readModel.GetSessionAsync(n.SessionId, cancellationToken);
        var where = session is null ? "" : $"\nSession {session.Id}: {Preview(session.Prompt, 80)}";
        switch (n.Kind)
        {
            case NotificationKinds.Approval:
            {
                var a = await readModel.GetApprovalAsync(n.ItemId, cancellationToken);
                if (a is not { Status: "pending" })
                    return null;
                var red = a.ConfirmPhrase is not null;
                var approve = links.NewClaim("approval", a.Id, n.UserId, "approve");
                var deny = links.NewClaim("approval", a.Id, n.UserId, "deny");
                return new NotificationItem(n.Kind, a.Id, n.SessionId, n.ProjectId, $"{a.Tier} approval: {a.Tool}",
                    $"{Command(a.Input)}\n{a.Reason}{(red ? $"\nTo approve, type: {a.ConfirmPhrase}" : "")}{where}", a.Tier, sessionUrl,
                [
                    new NotificationAction("approve", red ? "Approve (type phrase)" : "Approve", links.Url(approve), OneTap: !red, $"a:{a.Id}"),
                    new NotificationAction("deny", "Deny", links.Url(deny), OneTap: true, $"d:{a.Id}"),
                ]);
            }
            case NotificationKinds.Question:
            {
                var q = await readModel.GetQuestionAsync(n.ItemId, cancellationToken);
                if (q is not { Status: "pending" })
                    return null;
                var first = q.Questions.Count > 0 ? q.Questions[0] : null;
                // Only one single-choice question can be answered in one tap; anything else is answered on its page.
                var actions = first is not null && q.Questions.Count == 1 && !first.MultiSelect
                    ? first.Options.Take(4).Select((o, i) => new NotificationAction("answer", o.Label,
                        links.Url(links.NewClaim("question", q.Id, n.UserId, "answer", o.Label)), OneTap: true, $"q:{q.Id}:{i}")).ToList()
                    : [];
                var text = string.Join("\n", q.Questions.Select(x => x.Question + (x.Options.Count > 0 ? " [" + string.Join(" / ", x.Options.Select(o => o.Label)) + "]" : "")));
                return new NotificationItem(n.Kind, q.Id, n.SessionId, n.ProjectId, "Question from an agent", text + where, null, sessionUrl, actions);
            }
            case NotificationKinds.Review:
            {
                var r = await readModel.GetReviewAsync(n.ItemId, cancellationToken);
                if (r is not { Status: "pending" })
                    return null;
                var what = r.Kind == "plan" ? "A plan" : r.Phase is { } phase ? $"Phase {phase}" : "Work";
                return new NotificationItem(n.Kind, r.Id, n.SessionId, n.ProjectId, "Review ready", $"{what} awaits your review.{where}", null, sessionUrl, []);
            }
            case NotificationKinds.Dependency:
            {
                var d = await readModel.GetDependencyAsync(n.ItemId, cancellationToken);
                if (d is not { Status: "pending" })
                    return null;
                return new NotificationItem(n.Kind, d.Id, n.SessionId, n.ProjectId, $"Needs a value: {d.Name}", $"The agent asks for {d.Type} {d.Name}.{where}", null, sessionUrl, []);
            }
            case NotificationKinds.SessionFailed:
                return new NotificationItem(n.Kind, n.ItemId, n.SessionId, n.ProjectId, "Session failed", (session?.Reason ?? "The agent failed.") + where, null, sessionUrl, []);
            case NotificationKinds.SessionCompleted:
                return new NotificationItem(n.Kind, n.ItemId, n.SessionId, n.ProjectId, "Session completed", "The session is done." + where, null, sessionUrl, []);
            case NotificationKinds.LimitReached:
                return new NotificationItem(n.Kind, n.ItemId, n.SessionId, n.ProjectId, "Limit reached",
                    (session?.RateLimitedUntil is { } until ? $"Rate-limited until {until:u}." : session?.Reason ?? "The session hit a limit.") + where, null, sessionUrl, []);
            case NotificationKinds.Budget:
                return await BudgetAsync(n, where, sessionUrl, cancellationToken);
            case NotificationKinds.Alert:
                return await AlertAsync(n, cancellationToken);
            default:
                return new NotificationItem(n.Kind, n.ItemId, n.SessionId, n.ProjectId, n.Kind, n.ItemId + where, null, sessionUrl, []);
        }
    }

    /// <summary>A budget's 80% warning or its stop, read from the event that raised it (its limits then, its name now).</summary>
    private async Task<NotificationItem?> BudgetAsync(NotificationRecord n, string where, string sessionUrl, CancellationToken cancellationToken)
    {
        var e = (await events.ReadAsync(n.OutboxSeq - 1, 1, cancellationToken: cancellationToken)).FirstOrDefault();
        if (e is null || e.Seq != n.OutboxSeq || e.Data.Deserialize(Contracts.OverseerJson.Default.BudgetReachedData) is not { } data)
            return null;
        var budget = await budgets.FindAsync(data.BudgetId, cancellationToken)
            ?? new BudgetRecord(data.BudgetId, data.Scope, data.Target ?? "", data.Period, data.LimitUsd, data.LimitTokens, "", e.Ts, "", e.Ts);
        var standing = new Core.Budgets.BudgetStanding(budget with { LimitUsd = data.LimitUsd, LimitTokens = data.LimitTokens },
            new Core.Budgets.BudgetWindow(data.PeriodKey ?? "", null, null), new BudgetSpend(data.SpentUsd, data.SpentTokens ?? 0));
        var stopped = e.Type == Contracts.Events.EventTypes.BudgetExceeded;
        var title = stopped ? (data.Queued == true ? "Budget spent: a session waits to start" : "Budget spent: session paused") : $"Budget at {data.Percent}%";
        var next = stopped ? "\nRaise the limit or approve an overrun on the session's page." : "";
        return new NotificationItem(n.Kind, n.ItemId, n.SessionId, n.ProjectId, title, standing.Describe() + next + where, null, sessionUrl, []);
    }

    /// <summary>An alert raised or resolved, read from its event; nothing while a person has silenced its rule.</summary>
    private async Task<NotificationItem?> AlertAsync(NotificationRecord n, CancellationToken cancellationToken)
    {
        var e = (await events.ReadAsync(n.OutboxSeq - 1, 1, cancellationToken: cancellationToken)).FirstOrDefault();
        if (e is null || e.Seq != n.OutboxSeq)
            return null;
        var url = urls.Absolute("/ops");
        if (e.Type == Contracts.Monitoring.MonitoringEvents.AlertRaised && e.Data.Deserialize(Contracts.Monitoring.MonitoringJson.Default.AlertRaisedData) is { } raised)
        {
            if (await monitoring.SilencedUntilAsync(raised.RuleId, time.GetUtcNow(), cancellationToken) is not null)
                return null;
            return new NotificationItem(n.Kind, n.ItemId, null, null, $"{raised.Severity.ToUpperInvariant()} alert: {raised.RuleName}",
                raised.Message + (raised.Flapping ? "\nThe check is flapping." : ""), raised.Severity, url, []);
        }
        if (e.Data.Deserialize(Contracts.Monitoring.MonitoringJson.Default.AlertResolvedData) is not { } resolved
            || await monitoring.SilencedUntilAsync(resolved.RuleId, time.GetUtcNow(), cancellationToken) is not null)
            return null;
        var alert = await monitoring.FindAlertAsync(resolved.AlertId, cancellationToken);
        return new NotificationItem(n.Kind, n.ItemId, null, null, $"Resolved: {alert?.RuleName ?? resolved.RuleId}", resolved.Message, alert?.Severity, url, []);
    }

    private static string Command(JsonElement input) =>
        input.ValueKind == JsonValueKind.Object && input.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String
            ? Preview(command.GetString()!, 300)
            : Preview(input.GetRawText(), 300);

    private static string Preview(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
