using Microsoft.Extensions.Options;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Core.Secrets;
using Overseer.Core.Templates;

namespace Overseer.Prompts;

/// <summary>
/// Asks the configured model to rewrite a prompt for clarity and completeness and answers the
/// suggestion with a word diff against the original. It only suggests: nothing reaches an agent
/// unless a person puts the suggestion in a form and sends it themselves.
/// </summary>
internal sealed class PromptOptimizer(IOptions<PromptOptimizerOptions> options, SecretVault vault, AnthropicMessages messages)
{
    public const string Runtime = "anthropic";
    public const int MaxPromptChars = TemplateCatalog.MaxPromptChars;

    private const string System =
        """
        You improve prompts that people give to AI coding agents. Rewrite the prompt you are given so an agent can act on it without guessing:
        state the goal first, then the relevant context, the constraints, and what "done" looks like (tests to pass, files to touch, what to report).
        Keep every requirement, name and detail the author gave, and their intent; do not invent facts such as file names, versions or commands.
        Keep every {{placeholder}} in double braces exactly as written. Keep the author's language. Be concise: no filler, no pleasantries.
        Answer with the rewritten prompt only: no preamble, no explanation, no quotes or code fences around it.
        """;

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<(OptimizedPromptDto? Result, ApiProblem? Problem)> OptimizeAsync(string? prompt, string? runtime, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(prompt))
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "prompt is required and must not be empty.", "prompt"));
        if (prompt.Length > MaxPromptChars)
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"prompt may be at most {MaxPromptChars} characters.", "prompt"));
        if (runtime is not (null or Runtime))
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.UnknownRuntime, $"runtime '{runtime}' cannot optimise prompts; the optimiser runs on: {Runtime}.", "runtime"));
        var settings = options.Value;
        var key = !string.IsNullOrWhiteSpace(settings.ApiKey) ? settings.ApiKey
            : settings.ApiKeySecret is { Length: > 0 } secret ? await vault.GetValueAsync(secret, cancellationToken) : null;
        if (key is null)
        {
            var why = settings.ApiKeySecret is { Length: > 0 } missing
                ? $"Prompts:Optimizer:ApiKeySecret names '{missing}', which the vault does not hold (PUT /api/secrets/{missing})."
                : "Set Prompts:Optimizer:ApiKey, or Prompts:Optimizer:ApiKeySecret to a vault secret holding an Anthropic API key.";
            return (null, new ApiProblem(StatusCodes.Status503ServiceUnavailable, PromptErrors.NotConfigured, "No prompt optimiser is configured. " + why));
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        string text, model;
        bool cut;
        try
        {
            (text, model, cut) = await messages.AskAsync(settings.BaseUrl, key, settings.Model, settings.MaxTokens, System,
                "Rewrite this prompt:\n\n<prompt>\n" + prompt + "\n</prompt>", deadline.Token);
        }
        catch (OptimizerException ex)
        {
            return (null, new ApiProblem(StatusCodes.Status502BadGateway, PromptErrors.Failed, ex.Message));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new ApiProblem(StatusCodes.Status502BadGateway, PromptErrors.Failed, $"The optimiser did not answer within {settings.Timeout.TotalSeconds:0} s."));
        }
        var suggestion = Unwrap(text);
        if (suggestion.Length == 0)
            return (null, new ApiProblem(StatusCodes.Status502BadGateway, PromptErrors.Failed, "The optimiser answered with no text."));
        var warnings = new List<string>();
        var lost = TemplatePrompt.Placeholders(prompt).Except(TemplatePrompt.Placeholders(suggestion), StringComparer.Ordinal).ToList();
        if (lost.Count > 0)
            warnings.Add($"The suggestion drops {string.Join(", ", lost.Select(p => "{{" + p + "}}"))}: put {(lost.Count == 1 ? "it" : "them")} back before using it as a template.");
        if (cut)
            warnings.Add($"The suggestion was cut at Prompts:Optimizer:MaxTokens ({settings.MaxTokens}); it may end mid-sentence.");
        return (new OptimizedPromptDto(suggestion, WordDiff.Compute(prompt, suggestion), model, warnings), null);
    }

    /// <summary>The reply without the wrapping a model sometimes echoes (the prompt tags, a code fence).</summary>
    internal static string Unwrap(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("<prompt>", StringComparison.Ordinal) && trimmed.EndsWith("</prompt>", StringComparison.Ordinal))
            trimmed = trimmed["<prompt>".Length..^"</prompt>".Length].Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal) && trimmed.EndsWith("```", StringComparison.Ordinal) && trimmed.Length >= 6)
        {
            var firstLine = trimmed.IndexOf('\n');
            trimmed = firstLine < 0 ? trimmed[3..^3].Trim() : trimmed[(firstLine + 1)..^3].Trim();
        }
        return trimmed;
    }
}
