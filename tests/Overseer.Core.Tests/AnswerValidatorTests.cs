using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.Core.Interaction;

namespace Overseer.Core.Tests;

public sealed class AnswerValidatorTests
{
    private const string Single = "Which part first?";
    private const string Multi = "Which checks should run?";

    private static readonly QuestionItem[] Questions =
    [
        new(Single, "Focus", [new QuestionOption("Parser"), new QuestionOption("Tests")], MultiSelect: false),
        new(Multi, null, [new QuestionOption("Lint"), new QuestionOption("Unit"), new QuestionOption("E2E")], MultiSelect: true),
    ];

    private static Dictionary<string, JsonElement> Answers(params (string Question, string Json)[] answers) =>
        answers.ToDictionary(a => a.Question, a => JsonDocument.Parse(a.Json).RootElement.Clone(), StringComparer.Ordinal);

    [Fact]
    public void Validate_SingleLabelAndSeveralLabels_IsValid()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Parser\""), (Multi, """["Lint", "Unit"]""")));

        problem.ShouldBeNull();
    }

    [Fact]
    public void Validate_FreeTextForASingleSelect_IsValid()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Something else: the CLI\""), (Multi, "\"Unit\"")));

        problem.ShouldBeNull();
    }

    [Fact]
    public void Validate_NoAnswers_SaysAnswersIsRequired()
    {
        AnswerValidator.Validate(Questions, null).ShouldNotBeNull().ShouldContain("answers is required");
        AnswerValidator.Validate(Questions, Answers()).ShouldNotBeNull().ShouldContain("answers is required");
    }

    [Fact]
    public void Validate_OneQuestionUnanswered_NamesTheMissingQuestion()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Parser\"")));

        problem.ShouldBe($"answers['{Multi}'] is missing.");
    }

    [Fact]
    public void Validate_UnknownQuestionText_NamesTheUnknownKey()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Parser\""), (Multi, "[\"Unit\"]"), ("Who are you?", "\"me\"")));

        problem.ShouldBe("answers['Who are you?'] does not name a question that was asked.");
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    public void Validate_EmptyString_SaysItMustNotBeEmpty(string answer)
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, answer), (Multi, "[\"Unit\"]")));

        problem.ShouldBe($"answers['{Single}'] must not be empty.");
    }

    [Fact]
    public void Validate_ArrayForASingleSelect_SaysTheQuestionIsNotMultiSelect()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, """["Parser", "Tests"]"""), (Multi, "[\"Unit\"]")));

        problem.ShouldNotBeNull().ShouldStartWith($"answers['{Single}']");
        problem.ShouldContain("not multi-select");
    }

    [Fact]
    public void Validate_EmptyArrayForAMultiSelect_SaysChooseAtLeastOne()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Parser\""), (Multi, "[]")));

        problem.ShouldBe($"answers['{Multi}'] must choose at least one label.");
    }

    [Theory]
    [InlineData("""["Unit", ""]""")]
    [InlineData("""["Unit", 3]""")]
    public void Validate_MultiSelectWithABadItem_SaysOnlyNonEmptyStrings(string answer)
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Parser\""), (Multi, answer)));

        problem.ShouldBe($"answers['{Multi}'] must hold only non-empty strings.");
    }

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("{\"label\": \"Parser\"}")]
    public void Validate_NotAStringForASingleSelect_SaysItMustBeAString(string answer)
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, answer), (Multi, "[\"Unit\"]")));

        problem.ShouldBe($"answers['{Single}'] must be a string.");
    }

    [Fact]
    public void Validate_NotAStringForAMultiSelect_MentionsArraysOfStrings()
    {
        var problem = AnswerValidator.Validate(Questions, Answers((Single, "\"Parser\""), (Multi, "7")));

        problem.ShouldBe($"answers['{Multi}'] must be a string or an array of strings.");
    }
}
