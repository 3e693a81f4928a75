using System.Security.Claims;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// Who may approve a RED action: admins and owners always; operators only in a project whose
/// admins set <c>operatorsMayApproveRed</c>. The API, the dashboard and the WebSocket all ask here.
/// </summary>
public sealed class ApprovalRights(ProjectAccess access, IReadModel readModel)
{
    public const string RedTier = "RED";

    /// <summary>Why the caller may not approve this approval, or null when they may.</summary>
    public async Task<string?> RefusalAsync(ClaimsPrincipal caller, string approvalId, CancellationToken cancellationToken)
    {
        if (await readModel.GetApprovalAsync(approvalId, cancellationToken) is not { Tier: RedTier } approval)
            return null;
        if (await readModel.GetSessionAsync(approval.SessionId, cancellationToken) is not { } session
            || await readModel.GetProjectAsync(session.ProjectId, cancellationToken) is not { } project)
            return null;
        var role = await access.RoleInAsync(caller, project.Id, cancellationToken);
        if (Roles.AtLeast(role, Roles.Admin) || (project.OperatorsMayApproveRed && Roles.AtLeast(role, Roles.Operator)))
            return null;
        return project.OperatorsMayApproveRed
            ? "Approving a RED action needs the operator role in this project."
            : "Approving a RED action in this project needs the admin role (an admin may let operators do it: the project's operatorsMayApproveRed).";
    }
}
