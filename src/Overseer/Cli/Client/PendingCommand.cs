using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Cli;

namespace Overseer.Cli.Client;

/// <summary><c>overseer pending</c>: every approval, question, dependency and review waiting on a person, with the command that resolves it.</summary>
public static class PendingCommand
{
    public static Command Create()
    {
        var session = new Option<string>("--session", "-s") { Description = "Only this session (id or unique prefix)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("pending", "List what sessions are waiting on.") { session, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var filter = "?status=pending";
            if (parse.GetValue(session) is { Length: > 0 } s)
                filter += "&sessionId=" + Uri.EscapeDataString(await context.ResolveAsync(IdResolver.Session, s, cancellationToken));
            var client = context.Client;
            var types = OverseerJson.Default;
            var items = new PendingItems(
                await client.ListAllAsync("api/approvals" + filter, types.ListResponseApprovalDto, cancellationToken),
                await client.ListAllAsync("api/questions" + filter, types.ListResponseQuestionDto, cancellationToken),
                await client.ListAllAsync("api/dependencies" + filter, types.ListResponseDependencyDto, cancellationToken),
                await client.ListAllAsync("api/reviews" + filter, types.ListResponseReviewDto, cancellationToken));
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(items, ClientContext.IndentedJson.PendingItems));
                return ExitCodes.Ok;
            }
            // The command carries the item's id (a unique prefix resolves, as everywhere), so no
            // column repeats it; what the item is about gives way first when the terminal is narrow.
            var table = new TextTable("KIND", "SESSION", "WHAT", "RESOLVE WITH").Flexible("WHAT", "RESOLVE WITH");
            foreach (var a in items.Approvals)
                table.Add("approval", Format.ShortId(a.SessionId), $"{a.Tier} {EventRenderer.OneLine(EventRenderer.Describe(a.Tool, a.Input), 200)}",
                    $"overseer approve {Format.ShortId(a.Id)}" + (a.ConfirmPhrase is { } phrase ? $" --confirm '{phrase}'" : ""));
            foreach (var q in items.Questions)
                table.Add("question", Format.ShortId(q.SessionId), EventRenderer.OneLine(string.Join(" / ", q.Questions.Select(i => i.Question)), 200), $"overseer answer {Format.ShortId(q.Id)}");
            foreach (var d in items.Dependencies)
                table.Add("dependency", Format.ShortId(d.SessionId), $"{d.Name} ({d.Type})", $"overseer provide {Format.ShortId(d.Id)}");
            foreach (var r in items.Reviews)
                table.Add("review", Format.ShortId(r.SessionId), r.Kind + (r.Phase is { } p ? $" phase {p}" : ""), $"overseer review {Format.ShortId(r.Id)}");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });
        return command;
    }
}
