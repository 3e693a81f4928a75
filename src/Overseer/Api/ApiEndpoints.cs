using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Notifications;

namespace Overseer.Api;

public static class ApiEndpoints
{
    /// <summary>
    /// Every route under <c>/api</c> requires an API token, and declares its permission (the role,
    /// and where the project is); <see cref="PermissionMiddleware"/> enforces it.
    /// </summary>
    public static IEndpointRouteBuilder MapOverseerApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        var api = app.MapGroup("/api").RequireAuthorization();
        api.AddEndpointFilter(QueryText.FilterAsync);
        api.MapProjectsApi();
        api.MapSessionsApi();
        api.MapQuestionsApi();
        api.MapReviewsApi();
        api.MapApprovalsApi();
        api.MapPolicyApi();
        api.MapSecretsApi();
        api.MapDependenciesApi();
        api.MapStatsApi();
        api.MapStreamApi();
        api.MapChangesApi();
        api.MapSearchApi();
        api.MapTemplatesApi();
        api.MapSchedulesApi();
        api.MapBudgetsApi();
        api.MapUsersApi();
        api.MapMembersApi();
        api.MapTokensApi();
        api.MapAuditApi();
        api.MapNotificationsApi();
        Monitoring.ChecksApi.MapChecksApi(api);
        Monitoring.AlertsApi.MapAlertsApi(api);
        Triggers.TriggersApi.MapTriggersApi(api);
        Prompts.PromptsApi.MapPromptsApi(api);
        api.MapFallback((HttpContext context) =>
            Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"There is no API route {context.Request.Method} {context.Request.Path}.")).Requires(Roles.Viewer);
        return app;
    }
}
