using System.CommandLine;
using System.Text;
using System.Text.Json;
using Overseer.Prompts;

namespace Overseer.Cli.Client;

/// <summary><c>overseer prompt optimize "TEXT"</c>: a suggested rewrite of a prompt and what it changes; it starts nothing.</summary>
public static class PromptCommand
{
    private static readonly JsonSerializerOptions Indented = new(PromptJson.Default.Options) { WriteIndented = true };

    public static Command Create()
    {
        var text = new Argument<string?>("prompt") { Description = "The prompt to improve (or --file, or - for standard input)", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo>("--file", "-f") { Description = "Read the prompt from this file" };
        var only = new Option<bool>("--suggestion-only", "-s") { Description = "Print only the suggestion (to pipe it on)" };
        var json = new Option<bool>("--json") { Description = "Print JSON: the suggestion, its diff and any warnings" };
        var optimize = new Command("optimize", "Ask the configured model to rewrite a prompt for clarity and completeness; prints the changes and the suggestion.") { text, file, only, json };
        ClientContext.SetAction(optimize, async (parse, context, cancellationToken) =>
        {
            var prompt = parse.GetValue(file) is { } f ? await ReadAsync(f, cancellationToken)
                : parse.GetValue(text) is "-" ? await Console.In.ReadToEndAsync(cancellationToken)
                : parse.GetValue(text);
            if (string.IsNullOrWhiteSpace(prompt))
                throw new CliException(ExitCodes.Usage, "give the prompt as an argument, with --file, or - to read standard input");
            var result = await context.Client.PostAsync("api/prompts/optimize", new OptimizePromptRequest(prompt), PromptJson.Default.OptimizePromptRequest,
                PromptJson.Default.OptimizedPromptDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, PromptJson.Default.OptimizedPromptDto.Type, Indented));
                return ExitCodes.Ok;
            }
            if (parse.GetValue(only))
            {
                await context.Out.WriteLineAsync(result.Suggestion);
                return ExitCodes.Ok;
            }
            await context.Out.WriteLineAsync(context.Ansi.Bold("Changes") + context.Ansi.Dim(" ([-removed-] {+added+})"));
            await context.Out.WriteLineAsync(Render(result.Diff, context.Ansi));
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync(context.Ansi.Bold("Suggestion") + context.Ansi.Dim($" ({result.Model})"));
            await context.Out.WriteLineAsync(result.Suggestion);
            foreach (var warning in result.Warnings)
                await context.Error.WriteLineAsync(context.Ansi.Yellow("warning: ") + warning);
            return ExitCodes.Ok;
        });
        return new Command("prompt", "Prompts: suggestions for better ones.") { optimize };
    }

    /// <summary>A word diff as git's <c>--word-diff=plain</c> writes it, coloured when the terminal takes colour.</summary>
    internal static string Render(IReadOnlyList<DiffSpan> diff, Ansi ansi)
    {
        var text = new StringBuilder();
        foreach (var span in diff)
        {
            text.Append(span.Op switch
            {
                WordDiff.Delete => ansi.Red("[-" + span.Text + "-]"),
                WordDiff.Insert => ansi.Green("{+" + span.Text + "+}"),
                _ => span.Text,
            });
        }
        return text.ToString();
    }

    private static async Task<string> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the prompt {file.FullName}: {ex.Message}");
        }
    }
}
