using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

public sealed class UserQuestionBlockTests
{
    [Fact]
    public void Feed_SeedSample_ReadsCategoryQuestionAndBracketedOptions()
    {
        var block = Single<UserQuestionBlock>(Question);

        block.Category.ShouldBe("business");
        block.Question.ShouldBe("What pricing model?");
        block.Options.ShouldBe(["Subscription", "Freemium", "Ad-based"]);
        block.MultiSelect.ShouldBeFalse();
    }

    [Theory]
    [InlineData("options: a | b | c")]
    [InlineData("options: a, b, c")]
    [InlineData("options: [\"a\", \"b\", \"c\"]")]
    [InlineData("options:\n- a\n- b\n* c")]
    [InlineData("options:\n1. a\n2) b\n3. c")]
    [InlineData("options: a | b\n- c")]
    [InlineData("options: a | b | a | c | ")]
    public void Feed_OptionForms_ReadsTheSameLabels(string options)
    {
        var block = Single<UserQuestionBlock>($"[USER_QUESTION]\nquestion: Which?\n{options}\n[/USER_QUESTION]");

        block.Options.ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public void Feed_PipeOptionsWithCommas_SplitsOnPipesOnly()
    {
        var block = Single<UserQuestionBlock>("[USER_QUESTION]\nquestion: Which?\noptions: Yes, now | No, later\n[/USER_QUESTION]");

        block.Options.ShouldBe(["Yes, now", "No, later"]);
    }

    [Theory]
    [InlineData("multi_select: true", true)]
    [InlineData("multiSelect: YES", true)]
    [InlineData("multi-select: no", false)]
    [InlineData("", false)]
    public void Feed_MultiSelectSpellings_ReadsTheFlag(string line, bool expected)
    {
        var block = Single<UserQuestionBlock>($"[USER_QUESTION]\nquestion: Which?\noptions: a | b\n{line}\n[/USER_QUESTION]");

        block.MultiSelect.ShouldBe(expected);
    }

    [Fact]
    public void Feed_NoOptionsNoCategory_IsAFreeTextQuestion()
    {
        var block = Single<UserQuestionBlock>("[USER_QUESTION]\nquestion: What should the app be called?\n[/USER_QUESTION]");

        block.Category.ShouldBeNull();
        block.Options.ShouldBeEmpty();
    }

    [Fact]
    public void Feed_MultiLineQuestionAndWhitespaceAndCase_Tolerated()
    {
        var text = "  [ user_question ]  \r\n\tQuestion :  \"Which database?\"\r\n  It must run offline.\r\n\r\nOPTIONS:Postgres|SQLite\r\n  [/User_Question]\r\n";

        var block = Single<UserQuestionBlock>(text);

        block.Question.ShouldBe("Which database?\nIt must run offline.");
        block.Options.ShouldBe(["Postgres", "SQLite"]);
    }

    [Fact]
    public void Feed_UnknownFields_Ignored()
    {
        var block = Single<UserQuestionBlock>("[USER_QUESTION]\npriority: high\nquestion: Which?\nheader: Focus\noptions: a | b\nnote: pick one\n[/USER_QUESTION]");

        Describe(block).ShouldBe("Question(, Which?, [a | b], False)");
    }

    [Fact]
    public void Feed_OnlyFreeText_UsesItAsTheQuestion()
    {
        var block = Single<UserQuestionBlock>("[USER_QUESTION]\nShould I add a dark mode?\n[/USER_QUESTION]");

        block.Question.ShouldBe("Should I add a dark mode?");
    }

    [Theory]
    [InlineData("category: business\noptions: a | b", "missing question")]
    [InlineData("question:\noptions: a | b", "missing question")]
    [InlineData("", "missing question")]
    [InlineData("question: Which?\nmulti_select: maybe", "multi_select must be true or false")]
    public void Feed_MissingOrBadField_IsMalformedWithTheBody(string body, string problem)
    {
        var block = Single<MalformedBlock>($"[USER_QUESTION]\n{body}\n[/USER_QUESTION]");

        block.Kind.ShouldBe("USER_QUESTION");
        block.Raw.ShouldBe(body);
        block.Problem.ShouldContain(problem);
    }

    [Fact]
    public void Feed_OneLineBlock_ReadsIt()
    {
        var block = Single<UserQuestionBlock>("[USER_QUESTION] question: Ready to ship? [/USER_QUESTION]");

        block.Question.ShouldBe("Ready to ship?");
    }
}
