using Overseer.Contracts.Api;

namespace Overseer.Core.Tests.Text;

public sealed class SessionTitleTests
{
    [Theory]
    [InlineData("Fix the bug", "Fix the bug")]
    [InlineData("\n\n   Fix the bug  \nthen the docs", "Fix the bug")]
    [InlineData("Fix\tthe\u202Ebug", "Fix the bug")]
    [InlineData("   \n  ", "")]
    public void TitleFrom_Prompt_IsItsFirstNonBlankLineOnOneLine(string prompt, string title)
    {
        SessionTasks.TitleFrom(prompt).ShouldBe(title);
    }

    [Fact]
    public void TitleFrom_LongLine_IsCutTo120WithAnEllipsis_NeverHalfACharacter()
    {
        SessionTasks.TitleFrom(new string('a', 120)).ShouldBe(new string('a', 120));
        var cut = SessionTasks.TitleFrom(new string('a', 121));
        (cut.Length, cut[^1]).ShouldBe((120, '…'));

        // An emoji (two UTF-16 units) across the cut is left out whole.
        var emoji = SessionTasks.TitleFrom(new string('a', 118) + "😀" + "bbbb");
        emoji.ShouldBe(new string('a', 118) + "…");
    }

    [Fact]
    public void TitleFrom_AMegabyteOnOneLine_ReadsOnlyItsHead()
    {
        var title = SessionTasks.TitleFrom(new string('x', 1_000_000) + "\nsecond line");
        title.ShouldBe(new string('x', 119) + "…");
    }

    [Theory]
    [InlineData("", "title must not be empty (leave it out to use the prompt's first line).")]
    [InlineData("a\u200Bb", "title may not contain an invisible character (byte-order mark or zero-width) (U+200B).")]
    public void TitleProblem_NamesWhatIsWrong(string title, string problem)
    {
        SessionTasks.TitleProblem(title).ShouldBe(problem);
    }
}
