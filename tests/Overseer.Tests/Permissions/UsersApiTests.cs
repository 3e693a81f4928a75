using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Storage;
using Overseer.TestKit;

namespace Overseer.Tests.Permissions;

public sealed class UsersApiTests : ServerTest
{
    private async Task<UserDto> AddAsync(string name, string role, string? password = null)
    {
        var response = await Client.PostAsJsonAsync("/api/users", new CreateUserRequest(name, role, password), OverseerJson.Default.CreateUserRequest);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.UserDto))!;
    }

    [Fact]
    public async Task AddListPatchRemove_RoundTrip_AndTheRemovedUsersTokenStopsAtOnce()
    {
        var ann = await RoleWorld.AddPersonAsync(Server, "ann", Roles.Admin, null);
        using var annClient = Server.CreateClient(ann.Token);
        (await annClient.GetAsync("/api/secrets")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var users = (await Client.GetFromJsonAsync("/api/users", OverseerJson.Default.ListResponseUserDto))!.Items;
        users.Select(u => (u.Name, u.Role)).ShouldBe([("admin", Roles.Owner), ("ann", Roles.Admin)], ignoreOrder: true);

        // Demoted: her next request already acts as an operator (the token cache is cleared).
        var patched = await Client.PatchAsync($"/api/users/{ann.UserId}", JsonContent.Create(new UpdateUserRequest(Roles.Operator, null), OverseerJson.Default.UpdateUserRequest));
        patched.StatusCode.ShouldBe(HttpStatusCode.OK);
        var secrets = await annClient.GetAsync("/api/secrets");
        secrets.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await secrets.ProblemAsync()).GetProperty("detail").GetString().ShouldBe("This needs the admin role; you have the operator role.");

        (await Client.DeleteAsync($"/api/users/{ann.UserId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await annClient.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Client.GetAsync($"/api/users/{ann.UserId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task LastOwner_CannotBeRemovedDemotedOrDisabled_UntilThereIsAnother()
    {
        var owner = AdminTokenBootstrapId;
        foreach (var attempt in new Func<Task<HttpResponseMessage>>[]
        {
            () => Client.DeleteAsync($"/api/users/{owner}"),
            () => Client.PatchAsync($"/api/users/{owner}", JsonContent.Create(new UpdateUserRequest(Roles.Admin, null), OverseerJson.Default.UpdateUserRequest)),
            () => Client.PatchAsync($"/api/users/{owner}", JsonContent.Create(new UpdateUserRequest(null, true), OverseerJson.Default.UpdateUserRequest)),
        })
        {
            var refused = await attempt();
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await refused.ProblemAsync()).GetProperty("code").GetString().ShouldBe("LAST_OWNER");
        }
        (await Client.GetStringAsync("/api/projects")).ShouldNotBeNull(); // still an owner

        await AddAsync("second", Roles.Owner);
        var demoted = await Client.PatchAsync($"/api/users/{owner}", JsonContent.Create(new UpdateUserRequest(Roles.Admin, null), OverseerJson.Default.UpdateUserRequest));
        demoted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Client.GetAsync("/api/users")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private const string AdminTokenBootstrapId = global::Overseer.Auth.AdminTokenBootstrap.FirstOwnerId;

    [Fact]
    public async Task Password_IsHashedNeverEchoed_AndTooShortIsRefused()
    {
        var user = await AddAsync("pat", Roles.Viewer);
        user.HasPassword.ShouldBeFalse();

        var tooShort = await Client.PutAsJsonAsync($"/api/users/{user.Id}/password", new SetPasswordRequest("tiny7x"), OverseerJson.Default.SetPasswordRequest);
        tooShort.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await tooShort.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("PASSWORD_TOO_SHORT");
        problem.GetRawText().ShouldNotContain("tiny7x");

        const string password = "correct horse battery";
        var set = await Client.PutAsJsonAsync($"/api/users/{user.Id}/password", new SetPasswordRequest(password), OverseerJson.Default.SetPasswordRequest);
        set.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var read = await Client.GetStringAsync($"/api/users/{user.Id}");
        read.ShouldNotContain(password);
        read.ShouldContain("\"hasPassword\":true");
        var stored = (await Server.Service<IUserStore>().FindAsync(user.Id))!;
        stored.PasswordHash.ShouldNotBeNull().ShouldNotContain(password);
        new PasswordHasher<UserRecord>().VerifyHashedPassword(stored, stored.PasswordHash!, password).ShouldBe(PasswordVerificationResult.Success);
    }

    [Fact]
    public async Task Password_AnyoneMaySetTheirOwn_ButNotSomeoneElses()
    {
        var vic = await RoleWorld.AddPersonAsync(Server, "vic", Roles.Viewer, null);
        var other = await AddAsync("other", Roles.Viewer);
        using var vicClient = Server.CreateClient(vic.Token);
        (await vicClient.PutAsJsonAsync($"/api/users/{vic.UserId}/password", new SetPasswordRequest("my own secret phrase"), OverseerJson.Default.SetPasswordRequest))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await vicClient.PutAsJsonAsync($"/api/users/{other.Id}/password", new SetPasswordRequest("not my password at all"), OverseerJson.Default.SetPasswordRequest))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AddUser_BadOrTakenName_UnknownRole_AreRefusedNamingTheField()
    {
        await AddAsync("dup", Roles.Viewer);
        foreach (var (request, status, code, field) in new[]
        {
            (new CreateUserRequest("dup", Roles.Viewer, null), HttpStatusCode.Conflict, "USER_EXISTS", "name"),
            (new CreateUserRequest("DUP", Roles.Viewer, null), HttpStatusCode.Conflict, "USER_EXISTS", "name"),
            (new CreateUserRequest("has space", Roles.Viewer, null), HttpStatusCode.BadRequest, "INVALID_FIELD", "name"),
            (new CreateUserRequest("ok", "superuser", null), HttpStatusCode.BadRequest, "INVALID_FIELD", "role"),
        })
        {
            var response = await Client.PostAsJsonAsync("/api/users", request, OverseerJson.Default.CreateUserRequest);
            response.StatusCode.ShouldBe(status, request.ToString());
            var problem = await response.ProblemAsync();
            problem.GetProperty("code").GetString().ShouldBe(code);
            problem.GetProperty("field").GetString().ShouldBe(field);
        }
    }

    [Fact]
    public async Task Members_SetListRemove_AndAViewerMemberCannotStartASession()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var otto = await RoleWorld.AddPersonAsync(Server, "otto", Roles.Operator, (project.Id, Roles.Viewer));
        using var otto1 = Server.CreateClient(otto.Token);
        var refused = await otto1.PostAsJsonAsync("/api/sessions", new CreateSessionRequest(project.Id, "go", "scripted", null, null, null), OverseerJson.Default.CreateSessionRequest);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.ProblemAsync()).GetProperty("detail").GetString()!.ShouldContain("needs the operator role");

        var promoted = await Client.PutAsJsonAsync($"/api/projects/{project.Id}/members/otto", new PutMemberRequest(Roles.Operator), OverseerJson.Default.PutMemberRequest);
        promoted.StatusCode.ShouldBe(HttpStatusCode.OK);
        var members = (await otto1.GetFromJsonAsync($"/api/projects/{project.Id}/members", OverseerJson.Default.ListResponseMemberDto))!.Items;
        members.ShouldHaveSingleItem().ShouldBe(new MemberDto(otto.UserId, "otto", Roles.Operator, Roles.Operator));

        // A session records who started it, in its created event and its DTO.
        var session = await otto1.CreateSessionAsync(project.Id, """[{"say": "hi"}]""");
        session.StartedBy.ShouldBe(new UserRefDto(otto.UserId, "otto"));
        var created = (await otto1.GetEventsAsync(session.Id)).First(e => e.Type == EventTypes.SessionCreated);
        created.Data.GetProperty("startedBy").GetProperty("id").GetString().ShouldBe(otto.UserId);
        created.Data.GetProperty("startedBy").GetProperty("name").GetString().ShouldBe("otto");

        var badRole = await Client.PutAsJsonAsync($"/api/projects/{project.Id}/members/otto", new PutMemberRequest(Roles.Admin), OverseerJson.Default.PutMemberRequest);
        badRole.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badRole.ProblemAsync()).GetProperty("field").GetString().ShouldBe("role");

        (await Client.DeleteAsync($"/api/projects/{project.Id}/members/{otto.UserId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var gone = await otto1.GetAsync($"/api/sessions/{session.Id}");
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gone.ProblemAsync()).GetProperty("code").GetString().ShouldBe("SESSION_NOT_FOUND");
        (await Client.DeleteAsync($"/api/projects/{project.Id}/members/{otto.UserId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // An owner is not stopped before the handler: it still says the project does not exist.
        foreach (var response in new[]
        {
            await Client.GetAsync("/api/projects/p_nothing/members"),
            await Client.PutAsJsonAsync("/api/projects/p_nothing/members/otto", new PutMemberRequest(Roles.Viewer), OverseerJson.Default.PutMemberRequest),
            await Client.DeleteAsync("/api/projects/p_nothing/members/otto"),
        })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("PROJECT_NOT_FOUND");
        }
    }

    [Fact]
    public async Task RedApproval_OnlyAdminsMayApprove_UntilTheProjectLetsOperators()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var otto = await RoleWorld.AddPersonAsync(Server, "otto", Roles.Operator, (project.Id, Roles.Operator));
        using var ottoClient = Server.CreateClient(otto.Token);
        var session = await ottoClient.CreateSessionAsync(project.Id, """[{"tool": {"name": "Bash", "input": {"command": "git push --force"}, "output": "pushed"}}]""");
        await ottoClient.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approval = JsonDocument.Parse(await ottoClient.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items")[0];
        approval.GetProperty("tier").GetString().ShouldBe("RED");
        var id = approval.GetProperty("id").GetString();
        var confirm = JsonSerializer.Serialize(new { confirm = approval.GetProperty("confirmPhrase").GetString() });

        var refused = await ottoClient.PostJsonAsync($"/api/approvals/{id}/approve", confirm);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var problem = await refused.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("FORBIDDEN");
        problem.GetProperty("detail").GetString()!.ShouldContain("needs the admin role");

        // Operators may not change the setting; an admin may.
        (await ottoClient.PatchAsync($"/api/projects/{project.Id}", JsonContent.Create(new UpdateProjectRequest(true), OverseerJson.Default.UpdateProjectRequest)))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var patched = await Client.PatchAsync($"/api/projects/{project.Id}", JsonContent.Create(new UpdateProjectRequest(true), OverseerJson.Default.UpdateProjectRequest));
        (await patched.Content.ReadFromJsonAsync(OverseerJson.Default.ProjectDto))!.OperatorsMayApproveRed.ShouldBeTrue();
        (await Client.GetFromJsonAsync($"/api/projects/{project.Id}", OverseerJson.Default.ProjectDto))!.OperatorsMayApproveRed.ShouldBeTrue();

        (await ottoClient.PostJsonAsync($"/api/approvals/{id}/approve", confirm)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ottoClient.WaitForStatusAsync(session.Id, SessionStatus.Idle)).Status.ShouldBe(SessionStatus.Idle);
    }
}
