using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Contracts.Text;

namespace Overseer.Cli.Client;

/// <summary>
/// One event as a few readable lines, the same for <c>attach</c> and <c>logs</c>: assistant
/// text in full, thinking dimmed and cut short, tool calls as what they do (<c>$ command</c>,
/// a file path), results abbreviated, state changes, usage and the items waiting on a person.
/// </summary>
public sealed class EventRenderer(Ansi ansi)
{
    private const int ResultLines = 6;
    private const int ThinkingChars = 160;
    private const int MaxDiffLines = 40;

    public IReadOnlyList<string> Render(EventEnvelope e)
    {
        try
        {
            return RenderData(e);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // An event shape this client does not know (a newer server): show that it happened.
            return [ansi.Dim($"[{e.Type}]")];
        }
    }

    private IReadOnlyList<string> RenderData(EventEnvelope e)
    {
        var json = OverseerJson.Default;
        switch (e.Type)
        {
            case EventTypes.SessionCreated:
                var created = e.Data.Deserialize(json.SessionCreatedData)!;
                // The prompt itself follows as the first user.message.
                return [ansi.Dim($"● session {e.SessionId} created by {e.Actor} ({created.Runtime}{(created.Model is null ? "" : ", " + created.Model)})")];
            case EventTypes.UserMessage:
                var message = e.Data.Deserialize(json.UserMessageData)!;
                return [ansi.Bold($"> {message.Text}") + ansi.Dim($"  ({message.By})")];
            case EventTypes.AgentText:
                var text = e.Data.Deserialize(json.AgentTextData)!;
                return WithRest([text.Text], e, text.FullLength, text.BlobId);
            case EventTypes.AgentThinking:
                var thinking = e.Data.Deserialize(json.AgentTextData)!;
                return WithRest([ansi.Dim("✻ " + OneLine(thinking.Text, ThinkingChars))], e, thinking.FullLength, thinking.BlobId);
            case EventTypes.ToolCall:
                var call = e.Data.Deserialize(json.ToolCallData)!;
                return WithRest([ToolCall(call), .. Diff(call)], e, call.FullLength, call.BlobId);
            case EventTypes.ToolDecided:
                var decided = e.Data.Deserialize(json.ToolDecisionData)!;
                return decided.Decision == "allow" ? [] : [ansi.Red($"  ✗ {decided.Name} {decided.Decision}" + (decided.Reason is null ? "" : ": " + decided.Reason))];
            case EventTypes.ToolResult:
                var result = e.Data.Deserialize(json.ToolResultData)!;
                return WithRest(ToolResult(result), e, result.FullLength, result.BlobId);
            case EventTypes.ApprovalRequested:
                var approval = e.Data.Deserialize(json.ApprovalRequestedData)!;
                var tier = approval.Tier == "RED" ? ansi.Red(approval.Tier) : ansi.Yellow(approval.Tier);
                return [$"{ansi.Yellow("⚠ approval")} {approval.ApprovalId} {tier} {Describe(approval.Tool, approval.Input)} — {approval.Reason}"];
            case EventTypes.ApprovalDecided:
                var decision = e.Data.Deserialize(json.ApprovalDecidedData)!;
                var mark = decision.Decision == "approved" ? ansi.Green("✓ approved") : ansi.Red("✗ denied");
                return [$"{mark} {decision.ApprovalId} by {decision.By} ({decision.How}){(decision.Reason is null ? "" : ": " + decision.Reason)}"];
            case EventTypes.QuestionAsked:
                return Question(e.Data.Deserialize(json.QuestionAskedData)!);
            case EventTypes.QuestionAnswered:
                var answered = e.Data.Deserialize(json.QuestionAnsweredData)!;
                return [ansi.Green("✓ answered") + $" {answered.QuestionId} by {answered.By}: " + string.Join("; ", answered.Answers.Select(a => $"{a.Key} → {AnswerText(a.Value)}"))];
            case EventTypes.DependencyRequested:
                var dependency = e.Data.Deserialize(json.DependencyRequestedData)!;
                return [$"{ansi.Yellow("🔑 needs")} {dependency.Name} ({dependency.Type}) {dependency.DependencyId}{(dependency.Description is null ? "" : ": " + dependency.Description)}"];
            case EventTypes.DependencyProvided:
                var provided = e.Data.Deserialize(json.DependencyProvidedData)!;
                return [ansi.Green("✓ provided") + $" {provided.Name} by {provided.By}"];
            case EventTypes.ReviewRequested:
                var review = e.Data.Deserialize(json.ReviewRequestedData)!;
                return [$"{ansi.Yellow("☐ review")} {review.ReviewId} ({review.Kind}{(review.Phase is { } p ? $" phase {p}" : "")}){(review.Plan is null ? "" : ": " + OneLine(review.Plan, 200))}"];
            case EventTypes.ReviewDecided:
                var reviewed = e.Data.Deserialize(json.ReviewDecidedData)!;
                return [$"{(reviewed.Decision == "approved" ? ansi.Green("✓ review approved") : ansi.Yellow("↺ changes requested"))} by {reviewed.By}{(reviewed.Feedback is null ? "" : ": " + reviewed.Feedback)}"];
            case EventTypes.PhaseCompleted:
                var phase = e.Data.Deserialize(json.PhaseCompletedData)!;
                return [ansi.Bold($"=== phase {phase.Phase} complete ({phase.FilesChanged} file(s) changed) ===")];
            case EventTypes.PhaseStarted:
                var begun = e.Data.Deserialize(json.PhaseStartedData)!;
                return [ansi.Bold($"=== {OneLine(begun.Phase, 120)}{(begun.Index is { } n ? $" (phase {n}{(begun.Total is { } of ? $" of {of}" : "")})" : "")} ===")];
            case EventTypes.StepUpdated:
                var step = e.Data.Deserialize(json.StepUpdatedData)!;
                return [ansi.Cyan($"  {Bar(step.Percent)} {step.Percent}%") + (step.Step is { } i ? $" step {i}/{step.Steps}" : "") + (step.Text is null ? "" : " " + OneLine(step.Text, 200))];
            case EventTypes.SessionUpdated:
                var updated = e.Data.Deserialize(json.SessionUpdatedData)!;
                return [ansi.Dim($"● {string.Join(", ", updated.Changed)} changed by {updated.By ?? e.Actor}" + (updated.Title is null ? "" : $": \"{OneLine(updated.Title, 120)}\""))];
            case EventTypes.UsageUpdated:
                var usage = e.Data.Deserialize(json.UsageUpdatedData)!;
                return [ansi.Dim($"  tokens {Units.Tokens(usage.Turn.InputTokens)} in / {Units.Tokens(usage.Turn.OutputTokens)} out · {Units.Cost(usage.Turn.CostUsd)} (session {Units.Cost(usage.Total.CostUsd)})")];
            case EventTypes.BudgetWarning or EventTypes.BudgetExceeded:
                var reached = e.Data.Deserialize(json.BudgetReachedData)!;
                var budget = $"{Units.Cost(reached.SpentUsd)} of {Units.Cost(reached.LimitUsd)} ({reached.Percent}%) · {reached.Scope}{(reached.Target is null ? "" : " " + reached.Target)}"
                    + (reached.PeriodKey is null ? "" : $" {reached.Period} {reached.PeriodKey} UTC");
                return e.Type == EventTypes.BudgetWarning
                    ? [ansi.Yellow("$ budget warning: ") + budget]
                    : [ansi.Red("$ budget spent: ") + budget + (reached.Queued == true ? " — the session waits to start" : " — the session paused; raise the limit or 'overseer budget approve-overrun'")];
            case EventTypes.BudgetOverrunApproved:
                var overrun = e.Data.Deserialize(json.BudgetOverrunApprovedData)!;
                return [ansi.Green("✓ overrun approved") + $" by {overrun.By}: {overrun.Reason}"];
            case EventTypes.AgentError or EventTypes.AgentReportedError:
                var error = e.Data.Deserialize(json.AgentErrorData)!;
                return WithRest([ansi.Red("! " + error.Message)], e, error.FullLength, error.BlobId);
            case EventTypes.AgentStderr:
                return [ansi.Dim("stderr: " + OneLine(Text(e.Data), 300))];
            case EventTypes.AgentRetry:
                return [ansi.Yellow("↻ retrying: " + OneLine(e.Data.GetRawText(), 200))];
            case EventTypes.AgentStarted:
                var started = e.Data.Deserialize(json.AgentStartedData)!;
                return [ansi.Dim($"● agent {(started.Resumed ? "resumed" : "started")}{(started.Model is null ? "" : " · " + started.Model)}{(started.Version is null ? "" : " · v" + started.Version)}")];
            case EventTypes.AgentSandbox:
                var sandbox = e.Data.Deserialize(json.AgentSandboxData)!;
                return sandbox.Mode == "off"
                    ? [ansi.Red("! unsandboxed: the agent runs as the server's user (Sandbox:Mode is off)")]
                    : [ansi.Dim($"● sandbox {sandbox.Mode} · network {sandbox.Network} · limits {Limits(sandbox.Limits)} ({sandbox.Enforcement})")];
            case EventTypes.AgentHibernated:
                return [ansi.Dim("◌ agent hibernated: " + e.Data.Deserialize(json.AgentHibernatedData)!.Reason)];
            case EventTypes.AgentLimitReached:
                return [ansi.Red("! limit reached: " + e.Data.Deserialize(json.AgentLimitReachedData)!.Detail)];
            case EventTypes.AgentCompacted:
                var compacted = e.Data.Deserialize(json.AgentCompactedData)!;
                return [ansi.Dim($"◌ context compacted (about {compacted.TokensBefore} of {compacted.ContextWindow} tokens): {OneLine(compacted.Summary, 200)}")];
            case EventTypes.AgentContinued:
                return [ansi.Dim("↻ the answer reached the output limit: the agent goes on")];
            case EventTypes.RuntimeRouted:
                var routed = e.Data.Deserialize(json.RuntimeRoutedData)!;
                return [ansi.Dim($"⇢ routed to {routed.Target} ({routed.Runtime} · {routed.Model}): {routed.Reason}")];
            case EventTypes.RuntimeFallback:
                var fallback = e.Data.Deserialize(json.RuntimeFallbackData)!;
                return [ansi.Yellow($"⇢ fell back from {fallback.From} to {fallback.To}: {OneLine(fallback.Reason, 200)}")];
            case EventTypes.AgentExited or EventTypes.AgentRaw or EventTypes.PolicyChanged or EventTypes.MessageQueued
                or EventTypes.QuestionCancelled or EventTypes.DependencyCancelled or EventTypes.ReviewCancelled:
                return [ansi.Dim($"[{e.Type}]")];
            case EventTypes.SessionRetryScheduled:
                var retry = e.Data.Deserialize(json.RetryScheduledData)!;
                return [ansi.Yellow($"↻ attempt {retry.Attempt} of {retry.MaxAttempts} starts at {retry.DueAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}")];
            case EventTypes.SessionRetryCancelled:
                return [ansi.Yellow($"↻ retry cancelled by {e.Data.Deserialize(json.RetryCancelledData)!.By}")];
            case EventTypes.SessionRetryFailed:
                return [ansi.Red($"! the retry could not start: {e.Data.Deserialize(json.RetryFailedData)!.Error}")];
            default:
                return EventTypes.IsStateChange(e.Type) ? [State(e)] : [ansi.Dim($"[{e.Type}]")];
        }
    }

    /// <summary>Ten blocks, one for each tenth done: <c>▰▰▰▰▱▱▱▱▱▱</c>.</summary>
    private static string Bar(int percent)
    {
        var done = Math.Clamp(percent, 0, 100) / 10;
        return new string('▰', done) + new string('▱', 10 - done);
    }

    /// <summary>A session's progress on one line: "Design (phase 2 of 4) · 40% · step 3/7 · writing the schema".</summary>
    public static string Progress(Contracts.Api.ProgressDto progress)
    {
        var parts = new List<string>(4);
        if (progress.Phase is { } phase)
            parts.Add(OneLine(phase, 120) + (progress.PhaseIndex is { } n ? $" (phase {n}{(progress.PhaseTotal is { } of ? $" of {of}" : "")})" : ""));
        if (progress.Percent is { } percent)
            parts.Add($"{Bar(percent)} {percent}%");
        if (progress.Step is { } step)
            parts.Add($"step {step}/{progress.Steps}");
        if (progress.Text is { } text)
            parts.Add(OneLine(text, 200));
        return string.Join(" · ", parts);
    }

    private static string Limits(SandboxLimitsData limits)
    {
        static string Of(long value, string unit) => value == 0 ? "none" : value.ToString(CultureInfo.InvariantCulture) + unit;
        return $"memory {Of(limits.MemoryMb, " MB")}, processes {Of(limits.Processes, "")}, file {Of(limits.FileSizeMb, " MB")}, cpu {Of(limits.CpuPercent, "%")}";
    }

    private string State(EventEnvelope e)
    {
        var change = e.Data.Deserialize(OverseerJson.Default.StateChangeData)!;
        var to = change.To.ToWire();
        var text = $"● {to}" + (change.Reason is null ? "" : $" ({change.Reason})") + (change.Error is null ? "" : ": " + change.Error)
            + (change.Until is { } until ? " until " + until.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "");
        return change.To switch
        {
            SessionStatus.Failed => ansi.Red(text),
            SessionStatus.Completed or SessionStatus.Idle => ansi.Green(text),
            SessionStatus.Waiting or SessionStatus.Paused or SessionStatus.RateLimited or SessionStatus.Interrupted or SessionStatus.Cancelled => ansi.Yellow(text),
            _ => ansi.Blue(text),
        };
    }

    private string ToolCall(ToolCallData call)
    {
        var tier = call.Tier is null or "GREEN" ? "" : " " + (call.Tier is "RED" or "BLACK" ? ansi.Red(call.Tier) : ansi.Yellow(call.Tier));
        return ansi.Cyan(Describe(call.Name, call.Input)) + tier;
    }

    /// <summary>An edit or a write as the dashboard shows it: removed lines red, added lines green, the first <see cref="MaxDiffLines"/> of them.</summary>
    private IEnumerable<string> Diff(ToolCallData call)
    {
        var lines = EditDiff.Lines(call.Name, call.Input);
        foreach (var line in lines.Take(MaxDiffLines))
        {
            var shown = "  " + line.TrimEnd('\r');
            yield return DiffLines.KindOf(line) switch
            {
                DiffLineKind.Added => ansi.Green(shown),
                DiffLineKind.Removed => ansi.Red(shown),
                DiffLineKind.Hunk => ansi.Cyan(shown),
                _ => shown,
            };
        }
        if (lines.Count > MaxDiffLines)
            yield return ansi.Dim($"  … {lines.Count - MaxDiffLines} more diff line(s)");
    }

    /// <summary>A tool call as what it does: the shell command, the file it touches, or its input.</summary>
    public static string Describe(string tool, JsonElement input)
    {
        string? Field(string name) => input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return tool switch
        {
            "Bash" when Field("command") is { } command => "$ " + command,
            "Edit" or "Write" or "Read" or "MultiEdit" or "NotebookEdit" when (Field("file_path") ?? Field("notebook_path") ?? Field("path")) is { } path => $"{tool} {path}",
            "Glob" or "Grep" when Field("pattern") is { } pattern => $"{tool} {pattern}",
            "WebFetch" when Field("url") is { } url => $"{tool} {url}",
            _ => $"{tool} {OneLine(input.GetRawText(), 200)}",
        };
    }

    private IReadOnlyList<string> ToolResult(ToolResultData result)
    {
        var lines = result.Output.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var shown = lines.Take(ResultLines).Select(l => "  │ " + OneLine(l, 200)).ToList();
        if (lines.Length > ResultLines)
            shown.Add($"  │ … {lines.Length - ResultLines} more line(s)");
        if (lines is [""])
            shown = ["  │ (no output)"];
        return result.IsError ? shown.Select(ansi.Red).ToList() : shown.Select(ansi.Dim).ToList();
    }

    /// <summary>
    /// After a preview of a long text (the event has a blob id): a line that says so and how to
    /// print all of it, so nothing looks complete that is not.
    /// </summary>
    private IReadOnlyList<string> WithRest(IReadOnlyList<string> lines, EventEnvelope e, long? fullLength, string? blobId)
    {
        if (blobId is null || e.SessionId is null)
            return lines;
        var length = fullLength?.ToString("#,0", CultureInfo.InvariantCulture) ?? "?";
        return [.. lines, ansi.Yellow($"  … a preview: {length} characters in all; print them with: overseer blob {e.SessionId} {blobId}")];
    }

    private IReadOnlyList<string> Question(QuestionAskedData asked)
    {
        var lines = new List<string>();
        foreach (var item in asked.Questions)
        {
            lines.Add($"{ansi.Magenta("? question")} {asked.QuestionId}: {ansi.Bold(item.Question)}{(item.MultiSelect ? " (choose any)" : "")}");
            for (var i = 0; i < item.Options.Count; i++)
                lines.Add($"    {i + 1}. {item.Options[i].Label}{(item.Options[i].Description is { } d ? ansi.Dim(" — " + d) : "")}");
        }
        return lines;
    }

    private static string AnswerText(JsonElement answer) => answer.ValueKind == JsonValueKind.Array
        ? string.Join(", ", answer.EnumerateArray().Select(a => a.ToString()))
        : answer.ToString();

    private static string Text(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("text", out var t) ? t.ToString()
        : data.ValueKind == JsonValueKind.Object && data.TryGetProperty("line", out var l) ? l.ToString()
        : data.GetRawText();

    public static string OneLine(string text, int max)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
