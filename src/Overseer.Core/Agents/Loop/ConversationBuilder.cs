namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Turns transcript entries into messages any provider accepts: roles alternate, empty text is
/// left out, every tool call is answered (a call whose result never came — the turn was cut off —
/// gets an error result saying so), a result whose call is gone is dropped, and the conversation
/// starts with the user. Live and rebuilt transcripts go through here alike.
/// </summary>
public static class ConversationBuilder
{
    /// <summary>What an interrupted turn's next message starts with (Claude Code's words).</summary>
    public const string InterruptedNote = "[Request interrupted by user]";

    /// <summary>The result of a tool call a person's interrupt cut off.</summary>
    public const string InterruptedToolResult = "[Request interrupted by user for tool use]";

    /// <summary>The result of a tool call whose turn ended before it ran (a restart, a failed call).</summary>
    public const string UnfinishedToolResult = "The tool did not run: the turn ended before it could.";

    public const string SummaryPrefix = "This session continues an earlier conversation that grew too long for the context window. A summary of it:\n\n";

    public static List<ChatMessage> Build(IEnumerable<TranscriptEntry> entries)
    {
        var messages = new List<(ChatRole Role, List<ChatPart> Parts)>();
        var open = new List<ToolUsePart>();
        var interrupted = false;

        void Add(ChatRole role, ChatPart part)
        {
            if (messages.Count == 0 || messages[^1].Role != role)
                messages.Add((role, []));
            messages[^1].Parts.Add(part);
        }

        void Answer(string why)
        {
            foreach (var call in open)
                Add(ChatRole.User, new ToolResultPart(call.Id, why, true));
            open.Clear();
        }

        void UserText(string text)
        {
            Answer(interrupted ? InterruptedToolResult : UnfinishedToolResult);
            if (interrupted)
            {
                Add(ChatRole.User, new TextPart(InterruptedNote));
                interrupted = false;
            }
            if (text.Length > 0)
                Add(ChatRole.User, new TextPart(text));
        }

        foreach (var entry in entries)
        {
            switch (entry)
            {
                case UserTextEntry user:
                    UserText(user.Text);
                    break;
                case ContinuedEntry continued:
                    UserText(continued.Prompt);
                    break;
                case SummaryEntry summary:
                    UserText(SummaryPrefix + summary.Summary);
                    break;
                case InterruptedEntry:
                    interrupted = true;
                    break;
                case ToolResultEntry result:
                    var call = open.FindIndex(c => c.Id == result.ToolUseId);
                    if (call < 0)
                        break;
                    open.RemoveAt(call);
                    Add(ChatRole.User, new ToolResultPart(result.ToolUseId, result.Content.Length > 0 ? result.Content : "(no output)", result.IsError));
                    break;
                case AssistantTextEntry text when text.Text.Length > 0:
                    BeforeModel();
                    Add(ChatRole.Assistant, new TextPart(text.Text));
                    break;
                case ThinkingEntry thinking when thinking.Signature is { Length: > 0 }:
                    // Thinking without its signature cannot be sent back; the provider ignores old thinking anyway.
                    BeforeModel();
                    Add(ChatRole.Assistant, new ThinkingPart(thinking.Text, thinking.Signature, thinking.Redacted));
                    break;
                case ToolUseEntry use:
                    BeforeModel();
                    var part = new ToolUsePart(use.Id, use.Name, use.Input);
                    Add(ChatRole.Assistant, part);
                    open.Add(part);
                    break;
            }
        }

        // A model message that follows calls still unanswered: the calls never ran.
        void BeforeModel()
        {
            if (messages.Count > 0 && messages[^1].Role == ChatRole.User)
                Answer(UnfinishedToolResult);
        }

        var built = messages.Select(m => new ChatMessage(m.Role, m.Parts)).ToList();
        if (built.Count > 0 && built[0].Role == ChatRole.Assistant)
            built.Insert(0, new ChatMessage(ChatRole.User, [new TextPart("(The conversation continues.)")]));
        return built;
    }

    /// <summary>The tool calls of the last model message that have no result yet.</summary>
    public static IReadOnlyList<ToolUsePart> Unanswered(IReadOnlyList<TranscriptEntry> entries)
    {
        var open = new List<ToolUsePart>();
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case ToolUseEntry use:
                    open.Add(new ToolUsePart(use.Id, use.Name, use.Input));
                    break;
                case ToolResultEntry result:
                    open.RemoveAll(c => c.Id == result.ToolUseId);
                    break;
                case UserTextEntry or ContinuedEntry or SummaryEntry:
                    open.Clear();
                    break;
            }
        }
        return open;
    }
}
