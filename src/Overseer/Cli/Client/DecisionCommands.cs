using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary>Deciding what a session waits on: <c>approve</c>, <c>deny</c>, <c>answer</c>, <c>provide</c>.</summary>
public static class DecisionCommands
{
    public static IEnumerable<Command> Create() => [Approve(), Deny(), Answer(), Provide()];

    private static Command Approve()
    {
        var id = new Argument<string>("id") { Description = "Approval id or unique prefix" };
        var confirm = new Option<string>("--confirm") { Description = "The confirmation phrase a RED call asks for" };
        var remember = new Option<string>("--remember") { Description = "Also allow the same call from now on: session or project" };
        remember.AcceptOnlyFromAmong("session", "project");
        var command = new Command("approve", "Approve a tool call waiting at the safety gate.") { id, confirm, remember };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var approvalId = await context.ResolveAsync(IdResolver.Approval, parse.GetValue(id)!, cancellationToken);
            var approval = await context.Client.PostAsync($"api/approvals/{approvalId}/approve", new ApproveRequest(parse.GetValue(confirm), parse.GetValue(remember)),
                OverseerJson.Default.ApproveRequest, OverseerJson.Default.ApprovalDto, cancellationToken);
            await context.Out.WriteLineAsync($"{approval.Id} {approval.Status}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Deny()
    {
        var id = new Argument<string>("id") { Description = "Approval id or unique prefix" };
        var reason = new Option<string>("--reason") { Description = "Why, for the agent" };
        var hibernate = new Option<bool>("--hibernate") { Description = "Also hibernate the session (offered once the approval has waited Sessions:HibernateAfter)" };
        var command = new Command("deny", "Deny a tool call waiting at the safety gate.") { id, reason, hibernate };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var approvalId = await context.ResolveAsync(IdResolver.Approval, parse.GetValue(id)!, cancellationToken);
            var approval = await context.Client.PostAsync($"api/approvals/{approvalId}/deny", new DenyRequest(parse.GetValue(reason), parse.GetValue(hibernate)),
                OverseerJson.Default.DenyRequest, OverseerJson.Default.ApprovalDto, cancellationToken);
            await context.Out.WriteLineAsync($"{approval.Id} {approval.Status}{(approval.How == "hibernate" ? "; the session hibernated" : "")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Answer()
    {
        var id = new Argument<string>("id") { Description = "Question id or unique prefix" };
        var option = new Option<string[]>("--option", "-o") { Description = "An option's number or label (repeat for multi-select)" };
        var text = new Option<string>("--text", "-t") { Description = "A free-text answer" };
        var json = new Option<string>("--json") { Description = "All answers as a JSON object: {\"<question>\": \"<answer>\" | [..]}" };
        var command = new Command("answer", "Answer an agent's question (asks interactively when no answer is given).") { id, option, text, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var questionId = await context.ResolveAsync(IdResolver.Question, parse.GetValue(id)!, cancellationToken);
            var question = await context.Client.GetAsync($"api/questions/{questionId}", OverseerJson.Default.QuestionDto, cancellationToken);
            var answers = await BuildAnswersAsync(question, parse.GetValue(option) ?? [], parse.GetValue(text), parse.GetValue(json), context, cancellationToken);
            var answered = await context.Client.PostAsync($"api/questions/{questionId}/answer", new AnswerQuestionRequest(answers),
                OverseerJson.Default.AnswerQuestionRequest, OverseerJson.Default.QuestionDto, cancellationToken);
            await context.Out.WriteLineAsync($"{answered.Id} {answered.Status}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<Dictionary<string, JsonElement>> BuildAnswersAsync(QuestionDto question, string[] options, string? text, string? json, ClientContext context, CancellationToken cancellationToken)
    {
        if (json is not null)
        {
            try
            {
                return JsonSerializer.Deserialize(json, OverseerJson.Default.DictionaryStringJsonElement)
                    ?? throw new CliException(ExitCodes.Usage, "--json must be a JSON object");
            }
            catch (JsonException ex)
            {
                throw new CliException(ExitCodes.Usage, $"--json is not a JSON object: {ex.Message}");
            }
        }
        var given = options.Concat(text is null ? [] : [text]).ToList();
        if (given.Count > 0)
        {
            if (question.Questions.Count != 1)
                throw new CliException(ExitCodes.Usage, $"question {question.Id} has {question.Questions.Count} parts; answer with --json or interactively");
            var item = question.Questions[0];
            return new(StringComparer.Ordinal) { [item.Question] = Answers.From(item, given) };
        }
        if (!ConsoleInput.Interactive)
            throw new CliException(ExitCodes.Usage, "no answer given: use --option, --text or --json (stdin is not a terminal)");
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in question.Questions)
        {
            await context.Out.WriteLineAsync(context.Ansi.Bold(item.Question) + (item.MultiSelect ? " (choose any, e.g. 1,3)" : ""));
            for (var i = 0; i < item.Options.Count; i++)
                await context.Out.WriteLineAsync($"  {i + 1}. {item.Options[i].Label}{(item.Options[i].Description is { } d ? " — " + d : "")}");
            string? line;
            do
            {
                await context.Out.WriteAsync("> ");
                line = await ConsoleInput.ReadLineAsync(cancellationToken) ?? throw new CliException(ExitCodes.Usage, "no answer given");
            }
            while (line.Trim().Length == 0);
            answers[item.Question] = Answers.FromLine(item, line);
        }
        return answers;
    }

    private static Command Provide()
    {
        var id = new Argument<string>("id") { Description = "Dependency id or unique prefix" };
        var secret = new Option<string>("--secret") { Description = "Use an existing vault secret of this name instead of a value" };
        var command = new Command("provide", "Give an agent the value it asked for (read from stdin, or asked for without echo).") { id, secret };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var dependencyId = await context.ResolveAsync(IdResolver.Dependency, parse.GetValue(id)!, cancellationToken);
            string? value = null;
            if (parse.GetValue(secret) is null)
            {
                if (Console.IsInputRedirected)
                {
                    value = (await Console.In.ReadToEndAsync(cancellationToken)).TrimEnd('\r', '\n');
                }
                else
                {
                    var dependency = await context.Client.GetAsync($"api/dependencies/{dependencyId}", OverseerJson.Default.DependencyDto, cancellationToken);
                    ConsoleInput.TakeOverEcho();
                    await context.Out.WriteAsync($"value for {dependency.Name}: ");
                    value = await ConsoleInput.ReadSecretAsync(cancellationToken);
                }
                if (value.Length == 0)
                    throw new CliException(ExitCodes.Usage, "no value given");
            }
            var provided = await context.Client.PostAsync($"api/dependencies/{dependencyId}/provide", new ProvideDependencyRequest(value, parse.GetValue(secret)),
                OverseerJson.Default.ProvideDependencyRequest, OverseerJson.Default.DependencyDto, cancellationToken);
            await context.Out.WriteLineAsync($"{provided.Id} {provided.Status}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
