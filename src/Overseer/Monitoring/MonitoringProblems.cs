using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Core.Monitoring;

namespace Overseer.Monitoring;

internal static class MonitoringProblems
{
    public static IResult Result(MonitoringProblem problem) => Problems.Result(StatusOf(problem.Code), problem.Code, problem.Message, problem.Field);

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.CheckExists or ErrorCodes.AlertRuleExists or ErrorCodes.DefinedInSettings or ErrorCodes.InvalidState => StatusCodes.Status409Conflict,
        _ when code.EndsWith("_NOT_FOUND", StringComparison.Ordinal) && code is not (ErrorCodes.TemplateNotFound or ErrorCodes.ProjectNotFound or ErrorCodes.CheckNotFound)
            => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status400BadRequest,
    };
}
