using Overseer.Api;

namespace Overseer.Auth;

/// <summary>
/// How an endpoint tells a caller no: the API answers problem details; the dashboard's pages and
/// actions attach their own (a page, a toast) as endpoint metadata.
/// </summary>
public interface IPermissionDenial
{
    Task WriteAsync(HttpContext context, int status, string code, string message);
}

/// <summary>Problem details with the code (FORBIDDEN, or the item's not-found code).</summary>
public sealed class ProblemDenial : IPermissionDenial
{
    public static ProblemDenial Instance { get; } = new();

    public Task WriteAsync(HttpContext context, int status, string code, string message) =>
        Problems.Write(context, status, code, message);
}
