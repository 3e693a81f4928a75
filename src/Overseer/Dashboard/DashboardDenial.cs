using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Auth;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard;

/// <summary>
/// How the dashboard says no: a page answers with a page saying what is missing (404 for what
/// the viewer may not see, exactly as for what does not exist); a button's action answers with
/// a toast, as its other errors do.
/// </summary>
internal sealed class DashboardDenial(bool toast) : IPermissionDenial
{
    public static DashboardDenial Page { get; } = new(toast: false);
    public static DashboardDenial Toast { get; } = new(toast: true);

    public Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        SecurityHeaders.Apply(context.Response);
        if (toast)
        {
            context.Response.Headers["HX-Retarget"] = "#toasts";
            context.Response.Headers["HX-Reswap"] = "beforeend";
            return new RazorComponentResult<Components.Toast>(new Dictionary<string, object?> { [nameof(Components.Toast.Message)] = message }) { StatusCode = status }
                .ExecuteAsync(context);
        }
        return new RazorComponentResult<NotFoundPage>(new Dictionary<string, object?>
        {
            [nameof(NotFoundPage.Message)] = message,
            [nameof(NotFoundPage.Title)] = status == StatusCodes.Status403Forbidden ? "Not allowed" : "Not found",
            [nameof(NotFoundPage.Csrf)] = DashboardCsrf.Token(context),
        }) { StatusCode = status }.ExecuteAsync(context);
    }
}
