using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary><c>GET /health</c> (also <c>/api/health</c>): the one open route. Liveness plus the store's and runtimes' readiness.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", HealthAsync).AllowAnonymous().Public();
        // Seed 001's path for the same check; open like /health, so monitors need no token.
        app.MapGet("/api/health", HealthAsync).AllowAnonymous().Public();
        return app;
    }

    private static async Task<IResult> HealthAsync(IEventStore store, SessionManager sessions, IAgentSandbox sandbox, CancellationToken ct)
    {
        var health = await store.CheckHealthAsync(ct);
        var runtimes = sessions.Runtimes.ToDictionary(r => r.Name, r => (r.Status.Available ? "available: " : "unavailable: ") + r.Status.Detail);
        var dto = new HealthDto(health.Healthy ? "ok" : "degraded",
            new StoreHealthDto(health.Healthy ? "ok" : "failing", health.Provider, health.LastSeq, health.Error), runtimes,
            new SandboxHealthDto(sandbox.Status.Mode, sandbox.Status.Working, sandbox.Status.Detail, sandbox.Status.Limits),
            sessions.DefaultRuntime);
        return TypedResults.Json(dto, Contracts.OverseerJson.Default.HealthDto, statusCode: health.Healthy ? 200 : 503);
    }
}
