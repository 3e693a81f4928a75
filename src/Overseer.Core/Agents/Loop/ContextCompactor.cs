using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Keeps a conversation inside the model's window: when the next prompt would fill
/// <see cref="LoopSettings.CompactAt"/> of it, the older part is summarised by the model and
/// replaced by the summary (an <c>agent.compacted</c> event, so a rebuild from the log does the
/// same); the latest exchanges stay word for word.
/// </summary>
internal sealed class ContextCompactor(LoopSettings settings)
{
    public const string Instruction =
        "Your task is to write a detailed summary of the conversation so far, which will replace it: the conversation is too long for the context window. " +
        "Include: the user's requests and intent in their own words where it matters; decisions taken and why; the files read, created or changed, with their paths and what matters in them; " +
        "commands run and their outcome; errors met and how they were fixed; what the user said about the work; pending tasks; and exactly where the work stands now and the next step. " +
        "Reply with the summary only, without calling any tool.";

    private long _promptTokens;
    private int _entriesAtCall;
    private bool _measured;

    /// <summary>After a call: the prompt it carried plus what it wrote is where the next prompt starts.</summary>
    public void Measured(ModelUsage usage, int entries)
    {
        _promptTokens = usage.PromptTokens + usage.OutputTokens;
        _entriesAtCall = entries;
        _measured = true;
    }

    /// <summary>About how many tokens the next prompt will carry.</summary>
    public long Estimate(Transcript transcript, long fixedTokens) =>
        _measured && _entriesAtCall <= transcript.Count
            ? _promptTokens + transcript.EstimateTokens(_entriesAtCall)
            : fixedTokens + transcript.EstimateTokens();

    /// <summary>Compacts when the next prompt would be too large (or always, with <paramref name="force"/>); false when there was nothing to compact.</summary>
    public async Task<bool> CompactIfNeededAsync(IModelClient client, ModelRequest template, LoopOutput output, long fixedTokens, bool force, CancellationToken cancellationToken)
    {
        var transcript = output.Transcript;
        var estimate = Estimate(transcript, fixedTokens);
        if (!force && estimate < settings.CompactAt * settings.ContextWindow)
            return false;
        List<TranscriptEntry> head;
        int kept;
        lock (transcript)
        {
            var cut = FindCut(transcript.Entries, (long)(settings.KeepRecent * settings.ContextWindow));
            if (cut <= 0)
                return false;
            head = transcript.Entries.Take(cut).ToList();
            kept = transcript.Count - cut;
        }
        var messages = ConversationBuilder.Build([.. head, new UserTextEntry(Instruction)]);
        var request = template with { Messages = messages, MaxTokens = settings.SummaryMaxTokens, ThinkingBudgetTokens = 0, ToolsAllowed = false };
        var summary = await ModelCall.CollectTextAsync(client, request, output, settings.PriceFor, cancellationToken);
        if (summary.Length == 0)
            return false;
        await output.FactAsync(EventTypes.AgentCompacted, new AgentCompactedData(summary, kept, estimate, settings.ContextWindow), OverseerJson.Default.AgentCompactedData,
            new CompactedEntry(summary, kept));
        _measured = false;
        return true;
    }

    /// <summary>
    /// Where to cut: the earliest point that keeps no more than <paramref name="keepTokens"/> of the
    /// latest conversation (at least the last exchange), and never between a tool call and its
    /// result. 0 when there is nothing before the latest exchange to summarise.
    /// </summary>
    internal static int FindCut(IReadOnlyList<TranscriptEntry> entries, long keepTokens)
    {
        long tail = 0;
        var best = 0;
        for (var i = entries.Count - 1; i >= 1; i--)
        {
            tail += entries[i].EstimatedTokens;
            if (!CanCutAt(entries, i))
                continue;
            if (best == 0 || tail <= keepTokens)
                best = i;
            if (tail > keepTokens)
                break;
        }
        // A head that is only an earlier summary is not worth summarising again.
        return best == 1 && entries[0] is SummaryEntry ? 0 : best;
    }

    /// <summary>A cut before a person's message, or before a model message that follows the user's side.</summary>
    private static bool CanCutAt(IReadOnlyList<TranscriptEntry> entries, int i) =>
        entries[i] is UserTextEntry or ContinuedEntry
        || (entries[i].FromModel && !entries[i - 1].FromModel && entries[i - 1] is not InterruptedEntry);
}
