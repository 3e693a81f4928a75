using System.Net;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class DependenciesApiTests : ServerTest
{
    private async Task<(string SessionId, string DependencyId)> PendingAsync()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new[] { new { say = "[DEPENDENCY_REQUEST]\ntype: api_key\nname: MAPS_KEY\ndescription: maps\nrequired: true\n[/DEPENDENCY_REQUEST]" } });
        var session = await Client.CreateSessionAsync(project.Id, script);
        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Dependencies.ShouldBe(1);
        var items = JsonDocument.Parse(await Client.GetStringAsync($"/api/dependencies?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (session.Id, items[0].GetProperty("id").GetString()!);
    }

    [Theory]
    [InlineData("{}", "value")]
    [InlineData("{\"value\": \"a\", \"secret\": \"B\"}", "secret")]
    [InlineData("{\"secret\": \"NOPE\"}", "secret")]
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
