using Overseer.Api;
using System.Security.Claims;
using System.Text.Json;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Streaming;

/// <summary>
/// Which events of a live stream a caller may see: those of sessions in their projects, and
/// project events of those projects; and monitoring's check and alert events, which belong to no project. Asked per event, against <see cref="ProjectAccess"/>'s
/// in-memory memberships, so a membership removed stops delivery at once, without a reconnect.
/// </summary>
internal sealed class StreamVisibility(ProjectAccess access, SessionProjects sessions)
{
    /// <summary>The filter for one caller's stream, or null when they see everything (owners and admins).</summary>
    public Func<EventEnvelope, CancellationToken, ValueTask<bool>>? FilterFor(ClaimsPrincipal caller) =>
        Roles.AtLeast(caller.UserRole(), Roles.Admin) && Roles.AtLeast(caller.Role(), Roles.Viewer) ? null : (e, ct) => IsVisibleAsync(caller, e, ct);

    public async ValueTask<bool> IsVisibleAsync(ClaimsPrincipal caller, EventEnvelope e, CancellationToken cancellationToken)
    {
        // Checks and alerts are about the machines, not a project: everyone signed in sees them (GET /api/alerts is open to viewers).
        if (e.SessionId is null && Contracts.Monitoring.MonitoringEvents.IsMonitoring(e.Type))
            return Roles.AtLeast(caller.Role(), Roles.Viewer);
        var projectId = e.SessionId is null ? ProjectOfProjectEvent(e) : await sessions.ProjectOfAsync(e, cancellationToken);
        return projectId is not null && await access.RoleInAsync(caller, projectId, cancellationToken) is not null;
    }

    private static string? ProjectOfProjectEvent(EventEnvelope e) =>
        e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("projectId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;
}
