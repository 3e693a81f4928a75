using Microsoft.AspNetCore.Mvc;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;

namespace Overseer.Api;

/// <summary>RFC 9457 problem details with a stable <c>code</c> (and the offending <c>field</c> when there is one).</summary>
public static class Problems
{
    public static IResult Result(int status, string code, string detail, string? field = null) =>
        TypedResults.Problem(Create(status, code, detail, field));

    /// <summary>Writes a problem outside an endpoint's result (auth challenges, streams), whatever the client accepts.</summary>
    public static Task Write(HttpContext context, int status, string code, string detail, string? field = null) =>
        TypedResults.Problem(Create(status, code, detail, field)).ExecuteAsync(context);

    public static ProblemDetails Create(int status, string code, string detail, string? field = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = Title(status),
            Detail = detail,
            Type = "https://overseer.dev/problems/" + code.ToLowerInvariant().Replace('_', '-'),
        };
        problem.Extensions["code"] = code;
        if (field is not null)
            problem.Extensions["field"] = field;
        return problem;
    }

    public static IResult From(CommandResult result) => result.Outcome switch
    {
        CommandOutcome.NotFound => Result(StatusOf(result), result.Code ?? ErrorCodes.NotFound, result.Message ?? "Not found.", result.Field),
        CommandOutcome.InvalidState => Result(StatusOf(result), result.Code ?? ErrorCodes.InvalidState, result.Message ?? "Not allowed in the current state.", result.Field),
        CommandOutcome.Invalid => Result(StatusOf(result), result.Code ?? ErrorCodes.InvalidField, result.Message ?? "Invalid request.", result.Field),
        _ => throw new ArgumentException("Not a failure.", nameof(result)),
    };

    /// <summary>The HTTP status a failed command answers with, wherever it was asked (API or dashboard).</summary>
    public static int StatusOf(CommandResult result) => result.Outcome switch
    {
        CommandOutcome.NotFound => StatusCodes.Status404NotFound,
        CommandOutcome.InvalidState => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public static IResult SessionNotFound(string id) =>
        Result(StatusCodes.Status404NotFound, ErrorCodes.SessionNotFound, $"No session has id '{id}'.");

    private static string Title(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Request body too large",
        415 => "Unsupported media type",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => "Error",
    };
}
