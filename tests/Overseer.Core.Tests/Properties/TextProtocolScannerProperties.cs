using CsCheck;
using Overseer.Core.Interaction.TextProtocol;
using Overseer.Core.Tests.TextProtocol;

namespace Overseer.Core.Tests.Properties;

public sealed class TextProtocolScannerProperties
{
    // Pieces of the protocol and of what surrounds it, so generated text often opens, fills and
    // closes blocks (and fences and phase markers) rather than being noise the scanner skips.
    private static readonly Gen<string> Fragment = Gen.Frequency(
        (6, (IGen<string>)Gen.OneOf(
            "[USER_QUESTION]", "[/USER_QUESTION]", "[DEPENDENCY_REQUEST]", "[/DEPENDENCY_REQUEST]", "[ERROR]", "[/ERROR]",
            "[ user_question ]", "[/Error]", "=== PHASE 1 COMPLETE ===", "=== PHASE 0 COMPLETE ===", "=== PHASE x COMPLETE ===", "`=== PHASE 2 COMPLETE ===",
            "question: What?", "options: [a, b]", "category: tech", "multiSelect: true", "type: api_key", "name: KEY", "required: false",
            "message: boom", "description: d", "```", "~~~", "\n", "\n", "\n", "  ", "\r\n")),
        (3, Gens.AnyString));

    private static readonly Gen<string> Text = Fragment.Array[0, 30].Select(parts => string.Concat(parts));

    [Fact]
    public void Feed_TextSplitAnywhere_FindsWhatFeedingItWholeFinds()
    {
        Gen.Select(Text, Gen.Int[0, int.MaxValue].Array[0, 8]).Check((text, cuts) =>
        {
            var positions = cuts.Select(c => text.Length == 0 ? 0 : c % (text.Length + 1)).Order().ToList();
            var chunks = new List<string>();
            var from = 0;
            foreach (var at in positions)
            {
                chunks.Add(text[from..at]);
                from = at;
            }
            chunks.Add(text[from..]);
            ProtocolText.Describe(ProtocolText.Scan([.. chunks])).ShouldBe(ProtocolText.Describe(ProtocolText.Scan(text)));
        });
    }

    [Fact]
    public void Feed_AnyChunks_NeverThrowsAndKeepsMalformedRawBounded()
    {
        Text.Array[0, 6].Check(chunks =>
        {
            foreach (var block in ProtocolText.Scan(chunks))
            {
                if (block is MalformedBlock malformed)
                    malformed.Raw.Length.ShouldBeLessThanOrEqualTo(TextProtocolScanner.MaxRawInMalformed + 64);
            }
        });
    }
}
