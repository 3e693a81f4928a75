using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Cli;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary><c>overseer show &lt;id&gt;</c>: one session's details, usage and the items it waits on.</summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Session id or unique prefix" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("show", "Show a session: details, usage and pending items.") { id, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var details = await LoadAsync(context, await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken), cancellationToken);
            if (parse.GetValue(json))
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(details, ClientContext.IndentedJson.SessionDetails));
            else
                Write(details, context.Out, context.Ansi);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<SessionDetails> LoadAsync(ClientContext context, string sessionId, CancellationToken cancellationToken)
    {
        var client = context.Client;
        var json = OverseerJson.Default;
        var session = await client.GetAsync($"api/sessions/{sessionId}", json.SessionDto, cancellationToken);
        var pending = $"?status=pending&sessionId={Uri.EscapeDataString(sessionId)}";
        var project = (await ProjectsCommand.ListAsync(client, cancellationToken)).FirstOrDefault(p => p.Id == session.ProjectId);
        return new SessionDetails(
            session,
            project,
            await client.ListAllAsync("api/approvals" + pending, json.ListResponseApprovalDto, cancellationToken),
            await client.ListAllAsync("api/questions" + pending, json.ListResponseQuestionDto, cancellationToken),
            await client.ListAllAsync("api/dependencies" + pending, json.ListResponseDependencyDto, cancellationToken),
            await client.ListAllAsync("api/reviews" + pending, json.ListResponseReviewDto, cancellationToken));
    }

    private static void Write(SessionDetails details, TextWriter output, Ansi ansi)
    {
        var s = details.Session;
        string Time(DateTimeOffset? t) => t?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
        void Field(string name, string? value) => output.WriteLine($"{ansi.Bold((name + ":").PadRight(11))} {value ?? "-"}");
        Field("session", s.Id);
        Field("title", EventRenderer.OneLine(s.Title ?? "", 200));
        if (s.Type is { } type)
            Field("type", type);
        Field("status", s.Status.ToWire() + (s.Reason is null ? "" : $" ({s.Reason})") + (s.RateLimitedUntil is { } until ? " until " + Time(until) : ""));
        if (s.Progress is { } progress)
            Field("progress", EventRenderer.Progress(progress));
        Field("project", details.Project is { } p ? $"{p.Name} ({p.Id}) {p.Path}" : s.ProjectId);
        Field("runtime", s.Runtime + (s.Model is null ? "" : " · " + s.Model));
        Field("created", Time(s.CreatedAt));
        Field("started", Time(s.StartedAt));
        Field("ended", Time(s.EndedAt));
        Field("usage", $"{Units.Tokens(s.Usage.InputTokens)} in / {Units.Tokens(s.Usage.OutputTokens)} out / {Units.Tokens(s.Usage.CacheReadTokens)} cached · {Units.Cost(s.Usage.CostUsd)}");
        Field("sandbox", s.Sandbox switch
        {
            "off" => ansi.Red("off — UNSANDBOXED: the agent runs as the server's user"),
            null => "-",
            var mode => mode,
        });
        if (s.Worktree is { } w)
            Field("worktree", $"{w.Path} on {w.Branch} ({w.State})");
        if (s.ScheduleId is { } schedule)
            Field("schedule", schedule);
        if (s.Retry is { } retry)
        {
            var next = retry.NextAttemptId is { } nextId ? $", next {nextId}"
                : retry.NextAttemptAt is { } at ? $", attempt {retry.Attempt + 1} at {Time(at)}"
                : retry.RetryStatus is { } status ? $", retry {status}" : "";
            Field("attempt", $"{retry.Attempt} of {retry.Policy.MaxAttempts}" + (retry.PreviousAttemptId is { } previous ? $", previous {previous}" : "") + next);
            foreach (var attempt in retry.Attempts ?? [])
                output.WriteLine($"  {attempt.Attempt}. {attempt.Id} {attempt.Status.ToWire()} {Units.Cost(attempt.CostUsd)}{(attempt.Reason is null ? "" : " — " + EventRenderer.OneLine(attempt.Reason, 80))}");
        }
        Field("prompt", EventRenderer.OneLine(s.Prompt, 200));
        if (s.Description is { } description)
        {
            output.WriteLine(ansi.Bold("description:"));
            foreach (var line in description.ReplaceLineEndings("\n").Split('\n'))
                output.WriteLine("  " + EventRenderer.OneLine(line, 500));
        }
        foreach (var a in details.Approvals)
            output.WriteLine($"{ansi.Yellow("approval")}   {a.Id} {a.Tier} {EventRenderer.Describe(a.Tool, a.Input)} — {a.Reason}  → overseer approve {a.Id}{(a.ConfirmPhrase is { } phrase ? $" --confirm '{phrase}'" : "")}");
        foreach (var q in details.Questions)
            output.WriteLine($"{ansi.Magenta("question")}   {q.Id} {string.Join(" / ", q.Questions.Select(i => i.Question))}  → overseer answer {q.Id}");
        foreach (var d in details.Dependencies)
            output.WriteLine($"{ansi.Yellow("dependency")} {d.Id} {d.Name} ({d.Type})  → overseer provide {d.Id}");
        foreach (var r in details.Reviews)
            output.WriteLine($"{ansi.Yellow("review")}     {r.Id} {r.Kind}{(r.Phase is { } phase ? $" phase {phase}" : "")}  → overseer review {r.Id}");
    }
}
