using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// What <c>attach</c> does when the session waits on a person: asks inline when stdin is a
/// terminal, otherwise prints the command that resolves the item. Items already decided (seen
/// while catching up on history) are left alone.
/// </summary>
public sealed class PendingPrompter(OverseerClient client, Terminal terminal, bool interactive)
{
    private Ansi Ansi => terminal.Ansi;

    public async Task HandleAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        try
        {
            switch (e.Type)
            {
                case EventTypes.ApprovalRequested:
                    await ApprovalAsync(e.Data.Deserialize(OverseerJson.Default.ApprovalRequestedData)!.ApprovalId, cancellationToken);
                    break;
                case EventTypes.QuestionAsked:
                    await QuestionAsync(e.Data.Deserialize(OverseerJson.Default.QuestionAskedData)!.QuestionId, cancellationToken);
                    break;
                case EventTypes.ReviewRequested:
                    await ReviewAsync(e.Data.Deserialize(OverseerJson.Default.ReviewRequestedData)!.ReviewId, cancellationToken);
                    break;
                case EventTypes.DependencyRequested:
                    await DependencyAsync(e.Data.Deserialize(OverseerJson.Default.DependencyRequestedData)!.DependencyId, cancellationToken);
                    break;
            }
        }
        catch (CliException ex) when (ex.ExitCode is ExitCodes.Error or ExitCodes.NotFound or ExitCodes.Usage)
        {
            // Someone else decided first, or the answer was refused: say so and keep following.
            terminal.WriteLine(Ansi.Red("overseer: " + ex.Message));
        }
    }

    private async Task ApprovalAsync(string id, CancellationToken cancellationToken)
    {
        var approval = await client.GetAsync($"api/approvals/{id}", OverseerJson.Default.ApprovalDto, cancellationToken);
        if (approval.Status != "pending")
            return;
        if (!interactive)
        {
            var confirm = approval.ConfirmPhrase is { } phrase ? $" --confirm '{phrase}'" : "";
            terminal.WriteLine(Ansi.Yellow($"  waiting for approval: overseer approve {id}{confirm}   or   overseer deny {id} [--reason R]"));
            return;
        }
        string? answer;
        if (approval.ConfirmPhrase is { } red)
        {
            // A slip of the keyboard must neither approve a RED call nor deny it: only the phrase
            // approves, only an explicit no denies, anything else asks again.
            while (true)
            {
                answer = await AskAsync($"  RED: type '{red}' to approve, or n to deny: ", cancellationToken);
                if (answer is null)
                    return;
                if (answer.Trim() == red)
                {
                    await DecideAsync(id, approve: true, confirm: red, remember: null, cancellationToken);
                    return;
                }
                if (answer.Trim().ToLowerInvariant() is "n" or "no")
                    break;
                terminal.WriteLine(Ansi.Red($"  not the confirmation phrase; nothing decided. Type '{red}' exactly, or n to deny."));
            }
        }
        else
        {
            answer = await AskAsync("  approve? [y]es / [n]o / [s]ession: always this session / [p]roject: always this project: ", cancellationToken);
            var remember = answer?.Trim().ToLowerInvariant() switch { "s" => "session", "p" => "project", _ => null };
            if (answer?.Trim().ToLowerInvariant() is "y" or "yes" or "s" or "p")
            {
                await DecideAsync(id, approve: true, confirm: null, remember, cancellationToken);
                return;
            }
        }
        if (answer is null)
            return;
        var reason = await AskAsync("  reason for the agent (optional): ", cancellationToken);
        await DecideAsync(id, approve: false, confirm: null, remember: null, cancellationToken, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
    }

    private async Task DecideAsync(string id, bool approve, string? confirm, string? remember, CancellationToken cancellationToken, string? reason = null)
    {
        if (approve)
            await client.PostAsync($"api/approvals/{id}/approve", new ApproveRequest(confirm, remember), OverseerJson.Default.ApproveRequest, OverseerJson.Default.ApprovalDto, cancellationToken);
        else
            await client.PostAsync($"api/approvals/{id}/deny", new DenyRequest(reason), OverseerJson.Default.DenyRequest, OverseerJson.Default.ApprovalDto, cancellationToken);
    }

    private async Task QuestionAsync(string id, CancellationToken cancellationToken)
    {
        var question = await client.GetAsync($"api/questions/{id}", OverseerJson.Default.QuestionDto, cancellationToken);
        if (question.Status != "pending")
            return;
        if (!interactive)
        {
            terminal.WriteLine(Ansi.Magenta($"  waiting for an answer: overseer answer {id} --option <number|label> | --text <answer>"));
            return;
        }
        var answers = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal);
        foreach (var item in question.Questions)
        {
            var hint = item.Options.Count == 0 ? "your answer" : item.MultiSelect ? "numbers like 1,3 or your own answer" : "a number or your own answer";
            while (true)
            {
                var line = await AskAsync($"  {item.Question} ({hint}): ", cancellationToken);
                if (line is null)
                    return;
                if (line.Trim().Length == 0)
                    continue;
                answers[item.Question] = Answers.FromLine(item, line);
                break;
            }
        }
        await client.PostAsync($"api/questions/{id}/answer", new AnswerQuestionRequest(answers), OverseerJson.Default.AnswerQuestionRequest, OverseerJson.Default.QuestionDto, cancellationToken);
    }

    private async Task ReviewAsync(string id, CancellationToken cancellationToken)
    {
        var review = await client.GetAsync($"api/reviews/{id}", OverseerJson.Default.ReviewDto, cancellationToken);
        if (review.Status != "pending")
            return;
        if (!interactive)
        {
            terminal.WriteLine(Ansi.Yellow($"  waiting for a review: overseer review {id} (shows it), then --approve or --request-changes \"<feedback>\""));
            return;
        }
        var answer = await AskAsync($"  approve this {review.Kind}? [y]es / [n]o, request changes / Enter: decide later (overseer review {id}): ", cancellationToken);
        switch (answer?.Trim().ToLowerInvariant())
        {
            case "y" or "yes":
                await client.PostAsync($"api/reviews/{id}/approve", OverseerJson.Default.ReviewDto, cancellationToken);
                break;
            case "n" or "no":
                var feedback = await AskAsync("  what should change? ", cancellationToken);
                if (!string.IsNullOrWhiteSpace(feedback))
                    await client.PostAsync($"api/reviews/{id}/request-changes", new RequestChangesRequest(feedback.Trim()), OverseerJson.Default.RequestChangesRequest, OverseerJson.Default.ReviewDto, cancellationToken);
                break;
        }
    }

    private async Task DependencyAsync(string id, CancellationToken cancellationToken)
    {
        var dependency = await client.GetAsync($"api/dependencies/{id}", OverseerJson.Default.DependencyDto, cancellationToken);
        if (dependency.Status != "pending")
            return;
        var hint = $"  waiting for {dependency.Name}: overseer provide {id} (reads the value from stdin or asks for it) or --secret NAME";
        if (!interactive)
        {
            terminal.WriteLine(Ansi.Yellow(hint));
            return;
        }
        ConsoleInput.TakeOverEcho();
        terminal.Write($"  value for {dependency.Name} (hidden; Enter to leave it for later): ");
        var value = await ConsoleInput.ReadSecretAsync(cancellationToken);
        terminal.EndPrompt();
        if (value.Length == 0)
        {
            terminal.WriteLine(Ansi.Yellow(hint));
            return;
        }
        await client.PostAsync($"api/dependencies/{id}/provide", new ProvideDependencyRequest(value, null), OverseerJson.Default.ProvideDependencyRequest, OverseerJson.Default.DependencyDto, cancellationToken);
    }

    private async Task<string?> AskAsync(string prompt, CancellationToken cancellationToken)
    {
        ConsoleInput.TakeOverEcho();
        terminal.Write(Ansi.Bold(prompt));
        try
        {
            return await ConsoleInput.ReadLineAsync(cancellationToken);
        }
        finally
        {
            terminal.EndPrompt();
        }
    }
}
