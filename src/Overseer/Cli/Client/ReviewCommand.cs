using System.CommandLine;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer review &lt;id&gt;</c>: shows a plan or a phase's diff, and approves it or asks for changes.</summary>
public static class ReviewCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Review id or unique prefix" };
        var approve = new Option<bool>("--approve") { Description = "Approve the plan or phase" };
        var changes = new Option<string>("--request-changes") { Description = "Ask for changes, with this feedback for the agent" };
        var command = new Command("review", "Show a plan or phase review; approve it or request changes.") { id, approve, changes };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var feedback = parse.GetValue(changes);
            if (parse.GetValue(approve) && feedback is not null)
                throw new CliException(ExitCodes.Usage, "--approve and --request-changes exclude each other");
            var reviewId = await context.ResolveAsync(IdResolver.Review, parse.GetValue(id)!, cancellationToken);
            var json = OverseerJson.Default;
            ReviewDto review;
            if (parse.GetValue(approve))
                review = await context.Client.PostAsync($"api/reviews/{reviewId}/approve", json.ReviewDto, cancellationToken);
            else if (feedback is not null)
                review = await context.Client.PostAsync($"api/reviews/{reviewId}/request-changes", new RequestChangesRequest(feedback), json.RequestChangesRequest, json.ReviewDto, cancellationToken);
            else
                return await ShowAsync(context, await context.Client.GetAsync($"api/reviews/{reviewId}", json.ReviewDto, cancellationToken));
            await context.Out.WriteLineAsync($"{review.Id} {review.Status}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> ShowAsync(ClientContext context, ReviewDto review)
    {
        var ansi = context.Ansi;
        await context.Out.WriteLineAsync(ansi.Bold($"review {review.Id}") + $" ({review.Kind}{(review.Phase is { } p ? $" phase {p}" : "")}) of {review.SessionId}: {review.Status}");
        if (review.Plan is { } plan)
            await context.Out.WriteLineAsync(plan);
        foreach (var file in review.Files ?? [])
            await context.Out.WriteLineAsync($"  {file.Status,-9} {file.Path}");
        foreach (var line in review.Diff?.TrimEnd('\n').Split('\n') ?? [])
        {
            var shown = line.StartsWith('+') && !line.StartsWith("+++", StringComparison.Ordinal) ? ansi.Green(line)
                : line.StartsWith('-') && !line.StartsWith("---", StringComparison.Ordinal) ? ansi.Red(line)
                : line.StartsWith("@@", StringComparison.Ordinal) ? ansi.Cyan(line)
                : line;
            await context.Out.WriteLineAsync(shown);
        }
        if (review.Status == "pending")
            await context.Out.WriteLineAsync(ansi.Yellow($"→ overseer review {review.Id} --approve   or   --request-changes \"<feedback>\""));
        return ExitCodes.Ok;
    }
}
