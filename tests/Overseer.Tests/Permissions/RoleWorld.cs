using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Storage;
using Overseer.TestKit;

namespace Overseer.Tests.Permissions;

/// <summary>A person the matrix acts as: their global role and their role in project one (null: not a member).</summary>
public sealed record Person(string Name, string UserId, string Token, string GlobalRole, string? RoleInProjectOne)
{
    public override string ToString() => Name;
}

/// <summary>
/// Two projects and five people: the owner (the bootstrap token's), an admin, an operator and a
/// viewer who are members of project one, and an operator who is a member of project two only.
/// Project one holds a session waiting on each kind of item (approval, question, review, dependency).
/// </summary>
public sealed class RoleWorld
{
    public required Person Owner { get; init; }
    public required Person Admin { get; init; }
    public required Person Operator { get; init; }
    public required Person Viewer { get; init; }
    public required Person Outsider { get; init; }
    public required ProjectDto One { get; init; }
    public required ProjectDto Two { get; init; }
    public required string Session { get; init; }
    public required string Approval { get; init; }
    public required string Question { get; init; }
    public required string Review { get; init; }
    public required string Dependency { get; init; }
    public required string Schedule { get; init; }
    public required TestServer Server { get; init; }

    public IReadOnlyList<Person> Everyone => [Owner, Admin, Operator, Viewer, Outsider];

    public static async Task<RoleWorld> CreateAsync(TestServer server, Func<string, string> newProjectDir)
    {
        var owner = server.Client;
        var one = await owner.CreateProjectAsync(newProjectDir("one"), "one");
        var two = await owner.CreateProjectAsync(newProjectDir("two"), "two");
        var admin = await AddPersonAsync(server, "ada", Roles.Admin, null);
        var op = await AddPersonAsync(server, "otto", Roles.Operator, (one.Id, Roles.Operator));
        var viewer = await AddPersonAsync(server, "vera", Roles.Viewer, (one.Id, Roles.Viewer));
        var outsider = await AddPersonAsync(server, "olga", Roles.Operator, (two.Id, Roles.Operator)) with { RoleInProjectOne = null };

        var approval = await WaitingOnAsync(owner, one.Id, """[{"tool": {"name": "Bash", "input": {"command": "curl https://example.com"}, "output": "ran"}}]""", "approvals");
        var question = await WaitingOnAsync(owner, one.Id, """[{"ask": {"question": "Which?", "options": ["a", "b"]}}]""", "questions");
        var review = await WaitingOnAsync(owner, one.Id, """[{"plan": "1. read"}]""", "reviews");
        var dependency = await WaitingOnAsync(owner, one.Id,
            JsonSerializer.Serialize(new[] { new { say = "[DEPENDENCY_REQUEST]\ntype: api_key\nname: MAPS_KEY\ndescription: needed\nrequired: true\n[/DEPENDENCY_REQUEST]" } }), "dependencies");
        return new RoleWorld
        {
            Owner = new Person("owner", AdminTokenBootstrap.FirstOwnerId, server.Token, Roles.Owner, Roles.Owner),
            Admin = admin,
            Operator = op,
            Viewer = viewer,
            Outsider = outsider,
            One = one,
            Two = two,
            Session = approval.SessionId,
            Approval = approval.ItemId,
            Question = question.ItemId,
            Review = review.ItemId,
            Dependency = dependency.ItemId,
            Schedule = await NewScheduleAsync(owner, one.Id),
            Server = server,
        };
    }

    /// <summary>A schedule in project one (disabled: it never fires by itself), made anew for each route that removes one.</summary>
    public Task<string> NewScheduleAsync() => NewScheduleAsync(Server.Client, One.Id);

    private static async Task<string> NewScheduleAsync(HttpClient owner, string projectId)
    {
        using var response = await owner.PostJsonAsync("/api/schedules",
            $$"""{"name": "s{{Guid.NewGuid():N}}", "projectId": "{{projectId}}", "templateId": "builtin-explain-codebase", "cron": "0 3 * * *", "timeZone": "UTC", "enabled": false, "runtime": "scripted", "script": [{"say": "hi"}]}""");
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A new draft in project one (a session a route may delete without taking the shared one away).</summary>
    public async Task<string> DraftAsync(HttpClient owner)
    {
        using var response = await owner.PostJsonAsync("/api/sessions", $$"""{"projectId": "{{One.Id}}", "prompt": "a draft to delete", "runtime": "scripted", "draft": true}""");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!.Id;
    }

    /// <summary>A user added through the API, a member of a project through the API, with a token of their own.</summary>
    public static async Task<Person> AddPersonAsync(TestServer server, string name, string role, (string ProjectId, string Role)? membership)
    {
        var created = await server.Client.PostAsJsonAsync("/api/users", new CreateUserRequest(name, role, null), OverseerJson.Default.CreateUserRequest);
        created.EnsureSuccessStatusCode();
        var user = (await created.Content.ReadFromJsonAsync(OverseerJson.Default.UserDto))!;
        if (membership is { } m)
        {
            var put = await server.Client.PutAsJsonAsync($"/api/projects/{m.ProjectId}/members/{user.Id}", new PutMemberRequest(m.Role), OverseerJson.Default.PutMemberRequest);
            put.EnsureSuccessStatusCode();
        }
        var token = ApiTokens.Generate();
        await server.Service<IApiTokenStore>().AddAsync(new ApiTokenRecord("t_" + name, user.Id, name, role, ApiTokens.Hash(token), DateTimeOffset.UtcNow));
        // Owners and admins have their role in every project; others only where they are members.
        return new Person(name, user.Id, token, role, Roles.AtLeast(role, Roles.Admin) ? role : membership?.Role);
    }

    private static async Task<(string SessionId, string ItemId)> WaitingOnAsync(HttpClient owner, string projectId, string script, string kind)
    {
        var session = await owner.CreateSessionAsync(projectId, script);
        await owner.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var items = JsonDocument.Parse(await owner.GetStringAsync($"/api/{kind}?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (session.Id, items[0].GetProperty("id").GetString()!);
    }
}
