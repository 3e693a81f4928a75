using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Tests.AgentLoop;

/// <summary>Transcript entries into messages any provider accepts, and where a compaction may cut.</summary>
public sealed class ConversationBuilderTests
{
    private static readonly JsonElement Input = JsonDocument.Parse("{\"command\":\"ls\"}").RootElement;

    [Fact]
    public void ACallCutOffByAnInterrupt_IsAnswered_AndTheNextMessageSaysSo()
    {
        var messages = ConversationBuilder.Build(
        [
            new UserTextEntry("list files"),
            new AssistantTextEntry("Listing."),
            new ToolUseEntry("t1", "Bash", Input),
            new InterruptedEntry(),
            new UserTextEntry("stop"),
        ]);

        messages.Select(m => m.Role).ShouldBe([ChatRole.User, ChatRole.Assistant, ChatRole.User]);
        messages[2].Parts.ShouldBe([
            new ToolResultPart("t1", ConversationBuilder.InterruptedToolResult, true),
            new TextPart(ConversationBuilder.InterruptedNote),
            new TextPart("stop"),
        ]);
    }

    [Fact]
    public void OrphanResults_UnsignedThinkingAndEmptyText_AreLeftOut_AndRolesAlternate()
    {
        var messages = ConversationBuilder.Build(
        [
            new ToolResultEntry("gone", "from before a compaction", false),
            new SummaryEntry("we did things"),
            new UserTextEntry("go on"),
            new ThinkingEntry("unsigned", null, false),
            new ThinkingEntry("signed", "sig", false),
            new AssistantTextEntry(""),
            new ToolUseEntry("t2", "Bash", Input),
            new ToolResultEntry("t2", "", false),
            new ContinuedEntry("continue"),
        ]);

        messages.Select(m => m.Role).ShouldBe([ChatRole.User, ChatRole.Assistant, ChatRole.User]);
        messages[0].Parts.ShouldBe([new TextPart(ConversationBuilder.SummaryPrefix + "we did things"), new TextPart("go on")]);
        messages[1].Parts.Count.ShouldBe(2);
        messages[1].Parts[0].ShouldBe(new ThinkingPart("signed", "sig"));
        messages[2].Parts.ShouldBe([new ToolResultPart("t2", "(no output)", false), new TextPart("continue")]);
    }

    [Fact]
    public void Compaction_CutsBeforeAMessage_NeverBetweenACallAndItsResult()
    {
        TranscriptEntry[] entries =
        [
            new UserTextEntry(new string('a', 4000)),
            new ToolUseEntry("t1", "Read", Input),
            new ToolResultEntry("t1", new string('b', 4000), false),
            new AssistantTextEntry("done"),
            new UserTextEntry("next"),
        ];
        // Keeping 1 token: the last message alone.
        ContextCompactor.FindCut(entries, 1).ShouldBe(4);
        // Keeping ~1000 tokens: "done" and "next" fit, the result (1000 tokens) does not; a cut before "done" follows the result.
        ContextCompactor.FindCut(entries, 1000).ShouldBe(3);
        // Everything fits: the earliest cut that leaves something to summarise is before the first call.
        ContextCompactor.FindCut(entries, 100_000).ShouldBe(1);
        ContextCompactor.FindCut([new UserTextEntry("only")], 10).ShouldBe(0);
    }

    [Fact]
    public void Transcript_AppliesACompaction_AsTheLogRecordsIt()
    {
        var transcript = new Transcript([new UserTextEntry("one"), new AssistantTextEntry("two"), new UserTextEntry("three"), new CompactedEntry("S", 1)]);
        transcript.Entries.ShouldBe([new SummaryEntry("S"), new UserTextEntry("three")]);
        transcript.ToMessages().Single().Parts.ShouldBe([new TextPart(ConversationBuilder.SummaryPrefix + "S"), new TextPart("three")]);
    }
}
