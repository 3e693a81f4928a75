using Overseer.Core.Interaction.TextProtocol;

namespace Overseer.Core.Tests.TextProtocol;

/// <summary>Seed 003's samples and helpers to scan text and compare blocks by value.</summary>
internal static class ProtocolText
{
    public const string Question = """
        [USER_QUESTION]
        category: business
        question: What pricing model?
        options: [Subscription, Freemium, Ad-based]
        [/USER_QUESTION]

        """;

    public const string Dependency = """
        [DEPENDENCY_REQUEST]
        type: api_key
        name: OPENAI_API_KEY
        description: Required for AI features
        required: true
        [/DEPENDENCY_REQUEST]

        """;

    public const string Error = """
        [ERROR]
        type: execution_failed
        message: Build failed
        [/ERROR]

        """;

    public const string Phase = "=== PHASE 1 COMPLETE ===\n";

    public const string PhaseStart = "=== PHASE 2 OF 4 START: Design the schema ===\n";

    /// <summary>Feeds the chunks one by one, then flushes; returns everything found, in order.</summary>
    public static List<ProtocolBlock> Scan(params string[] chunks)
    {
        var scanner = new TextProtocolScanner();
        var found = new List<ProtocolBlock>();
        foreach (var chunk in chunks)
            found.AddRange(scanner.Feed(chunk));
        found.AddRange(scanner.Flush());
        return found;
    }

    /// <summary>The single block in <paramref name="text"/>, of the expected type.</summary>
    public static T Single<T>(string text) where T : ProtocolBlock => Scan(text).ShouldHaveSingleItem().ShouldBeOfType<T>();

    /// <summary>A block as text, lists included, so blocks compare by value.</summary>
    public static string Describe(ProtocolBlock block) => block switch
    {
        UserQuestionBlock q => $"Question({q.Category}, {q.Question}, [{string.Join(" | ", q.Options)}], {q.MultiSelect})",
        _ => block.ToString()!,
    };

    public static string[] Describe(IEnumerable<ProtocolBlock> blocks) => blocks.Select(Describe).ToArray();
}
