using Overseer.Prompts;

namespace Overseer.Tests.Prompts;

public sealed class WordDiffTests
{
    [Theory]
    [InlineData("fix the test", "Fix the failing test, then run it.")]
    [InlineData("", "all new")]
    [InlineData("all gone", "")]
    [InlineData("same text\nover lines", "same text\nover lines")]
    [InlineData("Prüfe die Datei {{file}} — gründlich!", "Prüfe die Datei {{file}} sorgfältig — und gründlich.")]
    [InlineData("a b c d e f", "f e d c b a")]
    public void Compute_GivesBackBothTexts(string before, string after)
    {
        var diff = WordDiff.Compute(before, after);
        string.Concat(diff.Where(s => s.Op != WordDiff.Insert).Select(s => s.Text)).ShouldBe(before);
        string.Concat(diff.Where(s => s.Op != WordDiff.Delete).Select(s => s.Text)).ShouldBe(after);
        diff.Zip(diff.Skip(1)).ShouldAllBe(pair => pair.First.Op != pair.Second.Op, "runs of one kind are merged");
    }

    [Fact]
    public void Compute_ChangesWholeWords_KeepingWhatIsShared()
    {
        WordDiff.Compute("run the unit tests", "run all the integration tests").ShouldBe(
        [
            new DiffSpan(WordDiff.Equal, "run "),
            new DiffSpan(WordDiff.Insert, "all "),
            new DiffSpan(WordDiff.Equal, "the "),
            new DiffSpan(WordDiff.Delete, "unit"),
            new DiffSpan(WordDiff.Insert, "integration"),
            new DiffSpan(WordDiff.Equal, " tests"),
        ]);
    }

    [Fact]
    public void Compute_OfTwoLongTexts_StaysWithinItsBudget_AndStillGivesThemBack()
    {
        var before = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => "w" + i));
        var after = string.Join(' ', Enumerable.Range(0, 20_000).Select(i => i % 7 == 0 ? "x" + i : "w" + i));
        var diff = WordDiff.Compute(before, after);
        string.Concat(diff.Where(s => s.Op != WordDiff.Insert).Select(s => s.Text)).ShouldBe(before);
        string.Concat(diff.Where(s => s.Op != WordDiff.Delete).Select(s => s.Text)).ShouldBe(after);
    }
}
