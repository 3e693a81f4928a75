using System.Net;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class DependenciesApiTests : ServerTest
{
    private async Task<(string SessionId, string DependencyId)> PendingAsync(string? projectId = null)
    {
        projectId ??= (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var session = await Client.CreateSessionAsync(projectId, RequestScript("MAPS_KEY"));
        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Dependencies.ShouldBe(1);
        var items = JsonDocument.Parse(await Client.GetStringAsync($"/api/dependencies?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (session.Id, items[0].GetProperty("id").GetString()!);
    }

    private static string RequestScript(string name) =>
        JsonSerializer.Serialize(new[] { new { say = $"[DEPENDENCY_REQUEST]\ntype: api_key\nname: {name}\ndescription: needed\nrequired: true\n[/DEPENDENCY_REQUEST]" } });

    private async Task PutSecretAsync(string name, object body)
    {
        using var put = await Client.PutAsync($"/api/secrets/{name}", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> SecretAsync(string name) =>
        JsonDocument.Parse(await Client.GetStringAsync($"/api/secrets/{name}")).RootElement;

    [Theory]
    [InlineData("{\"value\": \"attacker-value\"}")]
    [InlineData("{\"secret\": \"SHARED\"}")]
    public async Task Provide_NameOfAnotherProjectsSecret_Answers409AndLeavesThatSecretAlone(string body)
    {
        var owner = await Client.CreateProjectAsync(NewProjectDir());
        await PutSecretAsync("MAPS_KEY", new { value = "owner-value", projects = new[] { owner.Id } });
        await PutSecretAsync("SHARED", new { value = "shared-value" });
        var before = await SecretAsync("MAPS_KEY");
        var (sessionId, dependencyId) = await PendingAsync();

        using var response = await Client.PostJsonAsync($"/api/dependencies/{dependencyId}/provide", body);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("SECRET_CONFLICT");
        problem.GetProperty("field").GetString().ShouldBe("name");
        problem.GetProperty("detail").GetString()!.ShouldContain("MAPS_KEY");
        var after = await SecretAsync("MAPS_KEY");
        after.GetProperty("projects").EnumerateArray().Select(p => p.GetString()).ShouldBe([owner.Id]);
        after.GetProperty("updatedAt").GetString().ShouldBe(before.GetProperty("updatedAt").GetString(), "the owner's value is not replaced");
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);
    }

    [Fact]
    public async Task Provide_ValueForANameAlreadyGrantedHere_ReplacesItAndKeepsItsGrant()
    {
        await PutSecretAsync("MAPS_KEY", new { value = "old-value" });
        var (sessionId, dependencyId) = await PendingAsync();

        using var response = await Client.PostJsonAsync($"/api/dependencies/{dependencyId}/provide", "{\"value\": \"new-value\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var secret = await SecretAsync("MAPS_KEY");
        (!secret.TryGetProperty("projects", out var projects) || projects.ValueKind == JsonValueKind.Null).ShouldBeTrue("still granted to every project: " + secret);
        secret.GetProperty("updatedAt").GetString().ShouldNotBe(secret.GetProperty("createdAt").GetString());
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
    }

    [Fact]
    public async Task Provide_ValueForANewName_IsGrantedToThisProjectOnly()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var (_, dependencyId) = await PendingAsync(project.Id);

        using var response = await Client.PostJsonAsync($"/api/dependencies/{dependencyId}/provide", "{\"value\": \"v\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SecretAsync("MAPS_KEY")).GetProperty("projects").EnumerateArray().Select(p => p.GetString()).ShouldBe([project.Id]);
    }

    [Theory]
    [InlineData("LD_PRELOAD")]
    [InlineData("PATH")]
    [InlineData("NODE_OPTIONS")]
    public async Task Request_ForANameThatChangesHowProgramsStart_IsNotOpenedAndSaysWhy(string name)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());

        var session = await Client.CreateSessionAsync(project.Id, RequestScript(name));

        var idle = await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        idle.Pending.Dependencies.ShouldBe(0);
        var error = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.AgentError);
        error.Data.GetProperty("message").GetString()!.ShouldContain("would change how programs start");
        error.Data.GetProperty("name").GetString().ShouldBe(name);
    }

    [Fact]
    public async Task Provide_ForAReservedNameAlreadyPending_Answers400NamingTheName()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"hi\"}]");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        // As if recorded before the name was reserved.
        var data = JsonSerializer.SerializeToElement(new DependencyRequestedData("d_old", "env_var", "BASH_ENV", null, true), Overseer.Contracts.OverseerJson.Default.DependencyRequestedData);
        await Server.Service<Overseer.Storage.IEventStore>().AppendAsync([new NewEvent(session.Id, EventTypes.DependencyRequested, "agent", data)]);

        using var response = await Client.PostJsonAsync("/api/dependencies/d_old/provide", "{\"value\": \"/tmp/evil.sh\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("SECRET_NAME_RESERVED");
        problem.GetProperty("field").GetString().ShouldBe("name");
        (await Client.GetStringAsync("/api/secrets")).ShouldNotContain("BASH_ENV");
    }

    [Theory]
    [InlineData("{}", "value")]
    [InlineData("{\"value\": \"a\", \"secret\": \"B\"}", "secret")]
    [InlineData("{\"secret\": \"NOPE\"}", "secret")]
    [InlineData("{\"secret\": \"LD_PRELOAD\"}", "secret")]
    public async Task Provide_BadInput_Answers400AndTheSessionStillWaits(string body, string field)
    {
        var (sessionId, dependencyId) = await PendingAsync();
        using var response = await Client.PostJsonAsync($"/api/dependencies/{dependencyId}/provide", body);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe(field);
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);
    }

    [Fact]
    public async Task Provide_FromAnExistingSecret_StoresItUnderTheRequestedName_AndTheAgentGoesOn()
    {
        using (var put = await Client.PutAsync("/api/secrets/GOOGLE_MAPS", new StringContent("{\"value\": \"maps-secret-value\"}", Encoding.UTF8, "application/json")))
            put.EnsureSuccessStatusCode();
        var (sessionId, dependencyId) = await PendingAsync();
        using var provided = await Client.PostJsonAsync($"/api/dependencies/{dependencyId}/provide", "{\"secret\": \"GOOGLE_MAPS\"}");
        provided.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await provided.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString().ShouldBe("provided");
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var secrets = await Client.GetStringAsync("/api/secrets");
        secrets.ShouldContain("MAPS_KEY");
        secrets.ShouldNotContain("maps-secret-value");
        (await Client.GetEventsAsync(sessionId)).Last(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString()!.ShouldContain("MAPS_KEY");
        using var again = await Client.PostJsonAsync($"/api/dependencies/{dependencyId}/provide", "{\"value\": \"x\"}");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
