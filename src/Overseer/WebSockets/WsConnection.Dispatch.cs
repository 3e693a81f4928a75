using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Text;
using Overseer.Contracts.WebSockets;

namespace Overseer.WebSockets;

internal sealed partial class WsConnection
{
    /// <summary>Parses the envelope, checks authentication and routes by <c>type</c>; every failure becomes an error reply.</summary>
    private async Task HandleAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var incoming = WsMessageReader.Read(message);
        if (incoming.IsError)
        {
            await SendErrorAsync(incoming.Id, incoming.ErrorCode!, incoming.Error!, incoming.Field, cancellationToken);
            return;
        }
        using (var document = incoming.Document!)
        {
            var root = document.RootElement;
            var (id, type) = (incoming.Id, incoming.Type!);
            if (!IsAuthenticated && type != WsMessageTypes.Auth)
            {
                Refuse(id, $"Authenticate first: send {{\"type\":\"auth\",\"token\":\"...\"}} or connect with 'Authorization: Bearer <token>'. '{type}' was not handled.");
                return;
            }
            try
            {
                await DispatchAsync(type, id, root, cancellationToken);
            }
            catch (JsonException ex)
            {
                var field = ex.Path is null or "$" ? null : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
                var detail = field is null ? $"The message could not be read: {JsonMessages.FirstSentence(ex.Message)}" : $"Field '{field}' has the wrong type or format.";
                await SendErrorAsync(id, WsErrorCodes.InvalidMessage, detail, field, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                WsLog.HandlerFailed(_services.Logger, ex, Id, type);
                await SendErrorAsync(id, ErrorCodes.Internal, $"'{type}' failed on the server; see its log.", null, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The permission each message type needs, declared like the REST routes' (the role matrix test
    /// fails on a type without one). Project-scoped ones are checked against the message's project
    /// or item by the handler; a project or item the caller cannot see is "not found", as a missing one.
    /// </summary>
    internal static IReadOnlyDictionary<string, Permission> MessagePermissions { get; } = new Dictionary<string, Permission>(StringComparer.Ordinal)
    {
        [WsMessageTypes.Auth] = Permission.Public,
        [WsMessageTypes.ProjectCreate] = new(Roles.Admin),
        [WsMessageTypes.ProjectList] = new(Roles.Viewer),
        [WsMessageTypes.ProjectDelete] = new(Roles.Admin),
        [WsMessageTypes.ProjectJoin] = new(Roles.Viewer, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.ProjectLeave] = new(Roles.Viewer),
        [WsMessageTypes.Execute] = new(Roles.Operator, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.AgentKill] = new(Roles.Operator, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.GetMessages] = new(Roles.Viewer, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.Approve] = new(Roles.Operator, ProjectFrom.Approval, "approvalId"),
        [WsMessageTypes.Deny] = new(Roles.Operator, ProjectFrom.Approval, "approvalId"),
        [WsMessageTypes.Answer] = new(Roles.Operator, ProjectFrom.Question, "questionId"),
        [WsMessageTypes.Ping] = Permission.Public,
    };

    /// <summary>Whether the caller's global role allows a message type; else FORBIDDEN is sent.</summary>
    private async Task<bool> MayAsync(string? id, string type, CancellationToken cancellationToken)
    {
        var permission = MessagePermissions[type];
        if (permission.IsPublic || Roles.AtLeast(_user!.Role(), permission.Role))
            return true;
        await SendErrorAsync(id, ErrorCodes.Forbidden, $"'{type}' needs the {permission.Role} role; you have the {_user!.Role()} role.", null, cancellationToken);
        return false;
    }

    /// <summary>
    /// Whether the caller has <paramref name="role"/> in the project; else the error is sent:
    /// PROJECT_NOT_FOUND exactly as for a missing project when they cannot see it, FORBIDDEN when their role there is too low.
    /// </summary>
    private async Task<bool> MayInProjectAsync(string? id, string projectId, string role, CancellationToken cancellationToken)
    {
        var has = await _services.Access.RoleInAsync(_user!, projectId, cancellationToken);
        if (has is null)
        {
            await ProjectNotFoundAsync(id, projectId, cancellationToken);
            return false;
        }
        if (Roles.AtLeast(has, role))
            return true;
        await SendErrorAsync(id, ErrorCodes.Forbidden, $"This needs the {role} role in project '{projectId}'; you have the {has} role.", null, cancellationToken, projectId);
        return false;
    }

    /// <summary>The same for an approval or question, through its session's project; one the caller cannot see is NOT_FOUND.</summary>
    private async Task<bool> MayOnItemAsync(string? id, ProjectFrom from, string itemId, CancellationToken cancellationToken)
    {
        var projectId = await PermissionMiddleware.ProjectOfAsync(from, itemId, _services.ReadModel, cancellationToken);
        var has = projectId is null ? null : await _services.Access.RoleInAsync(_user!, projectId, cancellationToken);
        if (has is null)
        {
            await SendErrorAsync(id, ErrorCodes.NotFound, $"No {from.ToString().ToLowerInvariant()} has id '{itemId}'.", null, cancellationToken);
            return false;
        }
        if (Roles.AtLeast(has, Roles.Operator))
            return true;
        await SendErrorAsync(id, ErrorCodes.Forbidden, $"This needs the operator role in the {from.ToString().ToLowerInvariant()}'s project; you have the {has} role.", null, cancellationToken, projectId);
        return false;
    }

    /// <summary>A type without a declared permission is not handled at all: every handled type decides who may send it.</summary>
    private async Task DispatchAsync(string type, string? id, JsonElement root, CancellationToken ct)
    {
        if (!MessagePermissions.ContainsKey(type))
        {
            await SendErrorAsync(id, WsErrorCodes.UnknownType, $"Unknown message type '{type}'; expected one of: {string.Join(", ", MessagePermissions.Keys)}.", "type", ct);
            return;
        }
        if (await MayAsync(id, type, ct))
            await DispatchTypeAsync(type, id, root, ct);
    }

    private Task DispatchTypeAsync(string type, string? id, JsonElement root, CancellationToken ct) => type switch
    {
        WsMessageTypes.Auth => AuthenticateAsync(id, Read(root, OverseerJson.Default.WsAuth), ct),
        WsMessageTypes.Ping => SendAsync(new WsPong(id), OverseerJson.Default.WsPong, ct).AsTask(),
        WsMessageTypes.ProjectCreate => CreateProjectAsync(id, Read(root, OverseerJson.Default.WsProjectCreate), ct),
        WsMessageTypes.ProjectList => ListProjectsAsync(id, ct),
        WsMessageTypes.ProjectDelete => DeleteProjectAsync(id, Read(root, OverseerJson.Default.WsProjectDelete), ct),
        WsMessageTypes.ProjectJoin => JoinAsync(id, Read(root, OverseerJson.Default.WsProjectJoin), ct),
        WsMessageTypes.ProjectLeave => LeaveAsync(id, Read(root, OverseerJson.Default.WsProjectLeave), ct),
        WsMessageTypes.GetMessages => GetMessagesAsync(id, Read(root, OverseerJson.Default.WsGetMessages), ct),
        WsMessageTypes.Execute => ExecuteAsync(id, Read(root, OverseerJson.Default.WsExecute), ct),
        WsMessageTypes.AgentKill => KillAsync(id, Read(root, OverseerJson.Default.WsAgentKill), ct),
        WsMessageTypes.Approve => ApproveAsync(id, Read(root, OverseerJson.Default.WsApprove), ct),
        WsMessageTypes.Deny => DenyAsync(id, Read(root, OverseerJson.Default.WsDeny), ct),
        WsMessageTypes.Answer => AnswerAsync(id, Read(root, OverseerJson.Default.WsAnswer), ct),
        _ => throw new InvalidOperationException($"'{type}' has a permission but no handler."),
    };

    private async Task AuthenticateAsync(string? id, WsAuth message, CancellationToken cancellationToken)
    {
        if (IsAuthenticated)
        {
            await SendErrorAsync(id, ErrorCodes.InvalidState, "This connection is already authenticated.", null, cancellationToken);
            return;
        }
        var principal = string.IsNullOrWhiteSpace(message.Token)
            ? null
            : await _services.Principals.FindAsync(message.Token.Trim(), cancellationToken);
        if (principal is null)
        {
            Refuse(id, string.IsNullOrWhiteSpace(message.Token) ? "Field 'token' is required." : "The token is not valid.");
            return;
        }
        _user = principal;
        WatchAccess(principal);
        await SendAsync(new WsAuthOk(id, principal.Name()), OverseerJson.Default.WsAuthOk, cancellationToken);
    }

    private static T Read<T>(JsonElement root, JsonTypeInfo<T> typeInfo) where T : class =>
        root.Deserialize(typeInfo) ?? throw new JsonException("The message must be a JSON object.");

    /// <summary>Sends INVALID_MESSAGE naming a missing field; false when it was missing.</summary>
    private async ValueTask<bool> RequireAsync(string? id, string? value, string field, CancellationToken cancellationToken)
    {
        if (value is not null)
            return true;
        await SendErrorAsync(id, WsErrorCodes.InvalidMessage, $"Field '{field}' is required.", field, cancellationToken);
        return false;
    }

    /// <summary>The REST API's generic "bad field" is this protocol's VALIDATION_FAILED; every other code is shared.</summary>
    private static string WireCode(string code) => code == ErrorCodes.InvalidField ? WsErrorCodes.ValidationFailed : code;
}
