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
    private static readonly string KnownTypes = string.Join(", ",
    [
        WsMessageTypes.Auth, WsMessageTypes.ProjectCreate, WsMessageTypes.ProjectList, WsMessageTypes.ProjectDelete,
        WsMessageTypes.ProjectJoin, WsMessageTypes.ProjectLeave, WsMessageTypes.Execute, WsMessageTypes.AgentKill,
        WsMessageTypes.GetMessages, WsMessageTypes.Approve, WsMessageTypes.Deny, WsMessageTypes.Answer, WsMessageTypes.Ping,
    ]);

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

    private Task DispatchAsync(string type, string? id, JsonElement root, CancellationToken ct) => type switch
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
        _ => SendErrorAsync(id, WsErrorCodes.UnknownType, $"Unknown message type '{type}'; expected one of: {KnownTypes}.", "type", ct).AsTask(),
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
