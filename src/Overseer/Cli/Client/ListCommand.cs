using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary><c>overseer ls</c>: sessions as a table (or JSON), newest first as the server lists them.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var status = new Option<string>("--status", "-s") { Description = "Only these statuses, comma-separated (running,waiting,draft,...)" };
        var type = new Option<string>("--type", "-t") { Description = "Only sessions of this type: " + string.Join(", ", SessionTasks.Types) };
        type.AcceptOnlyFromAmong([.. SessionTasks.Types]);
        var project = new Option<string>("--project", "-p") { Description = "Only this project (directory, id, prefix or name)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("ls", "List sessions: status, project, [type] and title (the prompt's first line unless one was given), age, cost.") { status, type, project, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var query = new List<string>();
            if (parse.GetValue(status) is { Length: > 0 } s)
                query.Add("status=" + Uri.EscapeDataString(s));
            if (parse.GetValue(type) is { Length: > 0 } t)
                query.Add("type=" + Uri.EscapeDataString(t));
            if (parse.GetValue(project) is { Length: > 0 } p)
                query.Add("projectId=" + Uri.EscapeDataString(await ProjectsCommand.FindAsync(context, p, cancellationToken)
                    ?? throw new CliException(ExitCodes.NotFound, $"no project contains '{Path.GetFullPath(p)}'")));
            var sessions = await context.Client.ListAllAsync("api/sessions" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), OverseerJson.Default.ListResponseSessionDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize<IReadOnlyList<SessionDto>>(sessions, ClientContext.IndentedJson.IReadOnlyListSessionDto));
                return ExitCodes.Ok;
            }
            var projects = (await ProjectsCommand.ListAsync(context.Client, cancellationToken)).ToDictionary(x => x.Id, x => x.Name, StringComparer.Ordinal);
            // The title (the prompt's first line unless one was given) tells apart sessions that
            // share a project and a state: on a narrow terminal the other columns give way before
            // it does. Its type leads it ("[docs] …") rather than taking a column most rows would
            // leave empty. The runtime, the same for most sessions, is left to `show` and --json.
            var table = new TextTable("ID", "STATUS", "PROJECT", "TITLE", "AGE", "TOKENS", "COST", "WAITING")
                .Flexible("WAITING", "PROJECT", "TITLE");
            var now = DateTimeOffset.UtcNow;
            foreach (var session in sessions)
            {
                table.Add(
                    Format.ShortId(session.Id),
                    session.Status.ToWire() + (session.Hibernated ? " (hibernated)" : ""),
                    projects.GetValueOrDefault(session.ProjectId, session.ProjectId),
                    (session.Type is { } type ? $"[{type}] " : "") + EventRenderer.OneLine(session.Title ?? session.Prompt, 200),
                    Format.Age(session.CreatedAt, now),
                    Units.Tokens(session.Usage.InputTokens + session.Usage.OutputTokens),
                    Units.Cost(session.Usage.CostUsd),
                    WaitingFor(session.Pending));
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string WaitingFor(PendingDto pending)
    {
        var parts = new List<string>();
        void Add(int count, string noun)
        {
            if (count > 0)
                parts.Add(count == 1 ? noun : $"{count} {noun}s");
        }
        Add(pending.Approvals, "approval");
        Add(pending.Questions, "question");
        Add(pending.Dependencies, "dependency");
        Add(pending.Reviews, "review");
        return parts.Count == 0 ? "-" : string.Join(", ", parts).Replace("dependencys", "dependencies", StringComparison.Ordinal);
    }
}
