using System.Globalization;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Secrets;
using Overseer.Notifications;
using Overseer.Storage;

namespace Overseer.Triggers;

/// <summary>
/// The comment a settled session leaves on its issue or merge request: how it ended, what the
/// agent said last (its final turn's text, cut to Triggers:MaxSummaryChars at a paragraph or
/// word), the branch when it worked in a worktree of its own, its cost, and a link to the
/// session. It starts with a hidden marker so a trigger never takes it for a command.
/// </summary>
internal sealed class PostbackComment(IEventStore events, NotificationUrls urls, SecretVault vault)
{
    private const int EventsRead = 1000;

    public async Task<string> WriteAsync(string triggerId, SessionDto session, bool includeBranch, int maxChars, CancellationToken cancellationToken)
    {
        var recent = await events.ReadSessionBeforeAsync(session.Id, long.MaxValue, EventsRead, cancellationToken);
        var text = new StringBuilder();
        text.Append(HookEvent.Marker).Append(' ').Append(triggerId).Append(" -->\n");
        var link = urls.Absolute("/sessions/" + session.Id);
        text.Append("**Overseer** session [`").Append(session.Id).Append("`](").Append(link).Append(") ").Append(Ending(session.Status)).Append(".\n\n");
        var result = Result(recent, session.Status);
        if (result.Length > 0)
            text.Append(Cut(result, maxChars, link)).Append("\n\n");
        var facts = new List<string>();
        if (includeBranch && session.Worktree is { } worktree)
            facts.Add($"Branch: `{worktree.Branch}`" + (worktree.State == "merged" ? " (merged)" : ""));
        facts.Add(string.Create(CultureInfo.InvariantCulture,
            $"Cost: ${session.Usage.CostUsd:0.####} ({session.Usage.InputTokens:N0} tokens in, {session.Usage.OutputTokens:N0} out)"));
        text.Append(string.Join(" · ", facts)).Append('\n');
        // Events are redacted when stored; this leaves Overseer too, so it is redacted again with every secret known now.
        return vault.Redactor.Redact(text.ToString());
    }

    private static string Ending(SessionStatus status) => status switch
    {
        SessionStatus.Completed => "completed",
        SessionStatus.Failed => "failed",
        SessionStatus.Cancelled => "was cancelled",
        SessionStatus.Idle => "finished its turn (follow it up in Overseer)",
        _ => "is " + status.ToWire(),
    };

    /// <summary>The agent's text since the last message it was sent (its final turn), and the error of a failed session.</summary>
    private static string Result(IReadOnlyList<EventEnvelope> recent, SessionStatus status)
    {
        var start = 0;
        for (var i = recent.Count - 1; i >= 0; i--)
        {
            if (recent[i].Type == EventTypes.UserMessage)
            {
                start = i + 1;
                break;
            }
        }
        var parts = new List<string>();
        for (var i = start; i < recent.Count; i++)
        {
            if (recent[i].Type == EventTypes.AgentText && recent[i].Data.Deserialize(OverseerJson.Default.AgentTextData) is { Text.Length: > 0 } said)
                parts.Add(said.Text.Trim());
        }
        if (status == SessionStatus.Failed && recent.LastOrDefault(e => e.Type == EventTypes.SessionFailed) is { } failed
            && failed.Data.Deserialize(OverseerJson.Default.StateChangeData)?.Error is { Length: > 0 } error)
            parts.Add("**Error:** " + error.Trim());
        return string.Join("\n\n", parts);
    }

    /// <summary>At most <paramref name="max"/> characters, cut at the last paragraph (or else word) break, saying where the rest is.</summary>
    internal static string Cut(string text, int max, string link)
    {
        if (text.Length <= max)
            return text;
        var head = text[..max];
        var at = head.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (at < max / 2)
            at = head.LastIndexOf(' ');
        if (at < max / 2)
            at = max;
        return head[..at].TrimEnd() + $"\n\n… (cut here: the whole result is in [the session]({link}))";
    }
}
