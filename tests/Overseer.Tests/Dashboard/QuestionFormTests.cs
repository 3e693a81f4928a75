using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Interaction;
using Overseer.Dashboard;

namespace Overseer.Tests.Dashboard;

public sealed class QuestionFormTests
{
    private static readonly QuestionDto Question = new("q_1", "s_1",
    [
        new QuestionItem("Which colour?", "Colour", [new QuestionOption("Red"), new QuestionOption("Blue")], false),
        new QuestionItem("Which sizes?", "Sizes", [new QuestionOption("S"), new QuestionOption("M"), new QuestionOption("L")], true),
    ], "pending", DateTimeOffset.UtcNow, null);

    private static FormCollection Form(params (string Key, string[] Values)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Values)));

    [Fact]
    public void Answers_OptionsAndMultiSelect_BecomeALabelAndAList()
    {
        var answers = QuestionForm.Answers(Question, Form(("q0", ["Blue"]), ("q1", ["S", "L"])));

        answers["Which colour?"].GetString().ShouldBe("Blue");
        answers["Which sizes?"].EnumerateArray().Select(a => a.GetString()).ShouldBe(["S", "L"]);
        AnswerValidator.Validate(Question.Questions, answers).ShouldBeNull();
    }

    [Fact]
    public void Answers_TypedText_WinsForOneChoice_AndJoinsAMultiSelect()
    {
        var answers = QuestionForm.Answers(Question, Form(("q0", ["Red"]), ("q0-other", ["Green"]), ("q1", ["M"]), ("q1-other", ["XL"])));

        answers["Which colour?"].GetString().ShouldBe("Green");
        answers["Which sizes?"].EnumerateArray().Select(a => a.GetString()).ShouldBe(["M", "XL"]);
    }

    [Fact]
    public void Answers_AnUnansweredQuestion_IsLeftForTheValidatorToName()
    {
        var answers = QuestionForm.Answers(Question, Form(("q0", ["Red"]), ("q1-other", ["  "])));

        answers.ShouldNotContainKey("Which sizes?");
        AnswerValidator.Validate(Question.Questions, answers).ShouldBe("answers['Which sizes?'] is missing.");
    }
}
