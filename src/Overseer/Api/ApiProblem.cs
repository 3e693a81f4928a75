namespace Overseer.Api;

/// <summary>
/// A refusal both the API and the dashboard give: the status and code the API answers with, and
/// the sentence a person reads (the dashboard shows it on the page instead of a problem document).
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Message, string? Field = null)
{
    public IResult ToResult() => Problems.Result(Status, Code, Message, Field);
}
