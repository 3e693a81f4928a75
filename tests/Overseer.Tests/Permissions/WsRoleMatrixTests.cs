using System.Text.Json;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.WebSockets;
using Overseer.Tests.WebSockets;
using Overseer.WebSockets;

namespace Overseer.Tests.Permissions;

/// <summary>
/// Every WebSocket message type × the five people of <see cref="RoleWorld"/>: the written
/// decision for each type, the declared one equal to it, and what each person is answered.
/// </summary>
public sealed class WsRoleMatrixTests : WebSocketTest
{
    private static readonly Dictionary<string, Permission> Decisions = new(StringComparer.Ordinal)
    {
        [WsMessageTypes.Auth] = Permission.Public,
        [WsMessageTypes.Ping] = Permission.Public,
        [WsMessageTypes.ProjectCreate] = new(Roles.Admin),
        [WsMessageTypes.ProjectDelete] = new(Roles.Admin),
        [WsMessageTypes.ProjectList] = new(Roles.Viewer),
        [WsMessageTypes.ProjectLeave] = new(Roles.Viewer),
        [WsMessageTypes.ProjectJoin] = new(Roles.Viewer, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.GetMessages] = new(Roles.Viewer, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.Execute] = new(Roles.Operator, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.AgentKill] = new(Roles.Operator, ProjectFrom.Project, "projectId"),
        [WsMessageTypes.Approve] = new(Roles.Operator, ProjectFrom.Approval, "approvalId"),
        [WsMessageTypes.Deny] = new(Roles.Operator, ProjectFrom.Approval, "approvalId"),
        [WsMessageTypes.Answer] = new(Roles.Operator, ProjectFrom.Question, "questionId"),
    };

    [Fact]
    public void EveryMessageType_DeclaresThePermissionDecidedForIt()
    {
        WsConnection.MessagePermissions.Keys.ShouldBe(Decisions.Keys, ignoreOrder: true);
        foreach (var (type, permission) in WsConnection.MessagePermissions)
            permission.ShouldBe(Decisions[type], type);
    }

    [Fact]
    public async Task EveryMessageType_ForEachRole_AnswersAsItsDecisionSays()
    {
        var world = await RoleWorld.CreateAsync(Server, NewProjectDir);
        // The least allowed first: what they are refused changes nothing for the next.
        foreach (var person in new[] { world.Outsider, world.Viewer, world.Operator, world.Admin, world.Owner })
        {
            var ws = await ConnectAsync(person.Token);
            foreach (var (type, decision) in Decisions)
            {
                var reply = await ws.RequestAsync(type, FieldsFor(type, world));
                var code = WsClient.Str(reply, "type") == "error" ? WsClient.Str(reply, "code") : null;
                var what = $"{type} as {person} ({person.GlobalRole}, in project one: {person.RoleInProjectOne ?? "none"}): {reply.GetRawText()}";
                var hiddenCode = decision.From == ProjectFrom.Project ? "PROJECT_NOT_FOUND" : "NOT_FOUND";
                switch (Expect(decision, person))
                {
                    case "forbidden":
                        code.ShouldBe("FORBIDDEN", what);
                        WsClient.Str(reply, "message")!.ShouldContain($"the {decision.Role} role", Case.Sensitive, what);
                        break;
                    case "hidden":
                        code.ShouldBe(hiddenCode, what);
                        break;
                    default:
                        code.ShouldNotBe("FORBIDDEN", what);
                        if (decision.From != ProjectFrom.None)
                            code.ShouldNotBe(hiddenCode, what);
                        break;
                }
            }
        }
    }

    private static string Expect(Permission decision, Person person) =>
        decision.IsPublic ? "allowed"
        : decision.From == ProjectFrom.None ? (Roles.AtLeast(person.GlobalRole, decision.Role) ? "allowed" : "forbidden")
        : person.RoleInProjectOne is null ? "hidden"
        : Roles.AtLeast(person.RoleInProjectOne, decision.Role) ? "allowed" : "forbidden";

    private static object FieldsFor(string type, RoleWorld world) => type switch
    {
        WsMessageTypes.Auth => new { token = "ovs_not-needed-again" },
        WsMessageTypes.ProjectCreate => new { },
        WsMessageTypes.ProjectDelete => new { projectId = "p_nothing" },
        WsMessageTypes.ProjectJoin => new { projectId = world.One.Id, after = 0 },
        WsMessageTypes.ProjectLeave => new { projectId = world.One.Id },
        WsMessageTypes.GetMessages => new { projectId = world.One.Id, limit = 1 },
        WsMessageTypes.Execute => new { projectId = world.One.Id, prompt = "hi", runtime = "scripted", script = JsonDocument.Parse("""[{"say": "hi"}]""").RootElement },
        WsMessageTypes.AgentKill => new { projectId = world.One.Id },
        WsMessageTypes.Approve => new { approvalId = world.Approval },
        WsMessageTypes.Deny => new { approvalId = world.Approval, reason = "no" },
        WsMessageTypes.Answer => new { questionId = world.Question, answers = new Dictionary<string, string> { ["Which?"] = "a" } },
        _ => new { },
    };
}
