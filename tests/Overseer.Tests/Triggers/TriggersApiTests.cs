using System.Net;
using System.Text.Json;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;
using Overseer.TestKit;
using Overseer.Triggers;
using static Overseer.Tests.Triggers.TriggerKit;

namespace Overseer.Tests.Triggers;

public sealed class TriggersApiTests : ServerTest
{
    private const string ApiBase = "http://127.0.0.1:9/api/v3";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await PutSecretAsync(Client, "GITHUB_TOKEN", GitHubToken);
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem)> CreateFailsAsync(string json)
    {
        using var response = await Client.PostJsonAsync("/api/triggers", json);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Create_ShowsTheSecretOnce_KeepsItInTheVault_AndTheHookUrlUnderThePublicAddress()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var created = await CreateTriggerAsync(Client, GitHubTrigger(project.Id, await CreateTemplateAsync(Client), ApiBase));

        created.Secret.ShouldStartWith("whsec_");
        created.Secret.Length.ShouldBeGreaterThan(60);
        created.Trigger.Owner.Name.ShouldBe("admin");
        created.Trigger.HookUrl.ShouldEndWith("/hooks/" + created.Trigger.Id);
        created.Trigger.Postback.ShouldBe(new TriggerPostbackDto(true, ApiBase, "GITHUB_TOKEN", true));
        var shown = await Client.GetStringAsync($"/api/triggers/{created.Trigger.Id}");
        shown.ShouldNotContain(created.Secret);
        (await Client.GetStringAsync("/api/triggers")).ShouldNotContain(created.Secret);

        // In the vault under a reserved name: listed by name, never readable, never replaceable through the API.
        var secretName = created.Trigger.SecretName;
        secretName.ShouldStartWith("OVERSEER_TRIGGER_");
        (await Client.GetStringAsync($"/api/secrets/{secretName}")).ShouldNotContain(created.Secret);
        using var overwrite = await Client.PutAsync($"/api/secrets/{secretName}", new StringContent("{\"value\": \"weak\"}", System.Text.Encoding.UTF8, "application/json"));
        overwrite.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await overwrite.ProblemAsync()).GetProperty("code").GetString().ShouldBe("SECRET_NAME_RESERVED");
    }

    [Theory]
    [InlineData("""{"event": "issues.reopened"}""", "rules[0].event", "INVALID_FIELD")]
    [InlineData("""{"event": "issue_comment.created"}""", "rules[0].command", "INVALID_FIELD")]
    [InlineData("""{"event": "issues.opened", "label": "bug"}""", "rules[0].label", "INVALID_FIELD")]
    [InlineData("""{"event": "issues.opened", "parameters": {"colour": "event.title"}}""", "rules[0].parameters.colour", "INVALID_PARAMETER")]
    [InlineData("""{"event": "issues.opened", "parameters": {"title": "event.title", "url": "event.url"}}""", "rules[0].parameters.number", "INVALID_PARAMETER")]
    [InlineData("""{"event": "issues.opened", "parameters": {"number": "$.issue[x]", "title": "event.title", "url": "event.url"}}""", "rules[0].parameters.number", "INVALID_FIELD")]
    [InlineData("""{"event": "issues.opened", "parameters": {"number": "event.size", "title": "event.title", "url": "event.url"}}""", "rules[0].parameters.number", "INVALID_FIELD")]
    [InlineData("""{"event": "issues.opened", "runtime": "gpt-9", "parameters": {"number": "event.number", "title": "event.title", "url": "event.url"}}""", "rules[0].runtime", "UNKNOWN_RUNTIME")]
    public async Task Create_WithARuleThatCannotWork_IsRefused_NamingTheField(string rule, string field, string code)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var template = await CreateTemplateAsync(Client);
        var withTemplate = rule.Replace("{\"event\"", $"{{\"templateId\": \"{template}\", \"event\"", StringComparison.Ordinal);
        var (status, problem) = await CreateFailsAsync($$$"""
            {"name": "t", "provider": "github", "projectId": "{{{project.Id}}}", "rules": [{{{withTemplate}}}], "postback": {"apiBaseUrl": "{{{ApiBase}}}", "tokenSecret": "GITHUB_TOKEN"}}
            """);
        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("field").GetString().ShouldBe(field);
        problem.GetProperty("code").GetString().ShouldBe(code);
        (await Client.GetStringAsync("/api/triggers")).ShouldBe("{\"items\":[]}", "nothing half-written");
    }

    [Fact]
    public async Task Create_WithoutItsPostbackToken_OrACommentingGenericTrigger_IsRefused()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var template = await CreateTemplateAsync(Client);
        var rule = $$$"""{"event": "issues.opened", "templateId": "{{{template}}}", "parameters": {"number": "event.number", "title": "event.title", "url": "event.url"}}""";

        var noToken = await CreateFailsAsync($$$"""{"name": "t", "provider": "github", "projectId": "{{{project.Id}}}", "rules": [{{{rule}}}], "postback": {"tokenSecret": "NOT_IN_VAULT"}}""");
        noToken.Problem.GetProperty("code").GetString().ShouldBe("SECRET_NOT_FOUND");
        noToken.Problem.GetProperty("field").GetString().ShouldBe("postback.tokenSecret");

        var generic = await CreateFailsAsync($$$"""{"name": "t", "provider": "generic", "projectId": "{{{project.Id}}}", "rules": [{{{rule.Replace("issues.opened", "*", StringComparison.Ordinal)}}}], "postback": {"comment": true}}""");
        generic.Problem.GetProperty("field").GetString().ShouldBe("postback.comment");

        var badUrl = await CreateFailsAsync($$$"""{"name": "t", "provider": "gitlab", "projectId": "{{{project.Id}}}", "rules": [{{{rule}}}], "postback": {"apiBaseUrl": "ftp://gitlab.example", "tokenSecret": "GITHUB_TOKEN"}}""");
        badUrl.Problem.GetProperty("field").GetString().ShouldBe("postback.apiBaseUrl");

        var defaults = await CreateTriggerAsync(Client, $$$"""{"name": "t", "provider": "gitlab", "projectId": "{{{project.Id}}}", "rules": [{{{rule}}}], "postback": {"tokenSecret": "GITHUB_TOKEN"}}""");
        defaults.Trigger.Postback.ApiBaseUrl.ShouldBe("https://gitlab.com/api/v4");
    }

    [Fact]
    public async Task ReplacingTheSecret_RefusesTheOldOne_AndDeletingTheTrigger_RemovesItsHookAndSecret()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var created = await CreateTriggerAsync(Client, GitHubTrigger(project.Id, await CreateTemplateAsync(Client), ApiBase));
        var id = created.Trigger.Id;
        using var github = Anonymous(Server);

        using var rotate = await Client.PostAsync($"/api/triggers/{id}/secret", null);
        rotate.StatusCode.ShouldBe(HttpStatusCode.OK);
        var fresh = JsonSerializer.Deserialize(await rotate.Content.ReadAsStringAsync(), TriggerJson.Default.CreatedTriggerDto)!.Secret;
        fresh.ShouldNotBe(created.Secret);
        (await SendAsync(github, GitHub(id, created.Secret, IssueOpened))).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await SendAsync(github, GitHub(id, fresh, IssueOpened))).Status.ShouldBe(HttpStatusCode.Accepted);

        using var disable = await Client.PatchAsync($"/api/triggers/{id}", new StringContent("{\"enabled\": false}", System.Text.Encoding.UTF8, "application/json"));
        disable.StatusCode.ShouldBe(HttpStatusCode.OK);
        var disabled = await SendAsync(github, GitHub(id, fresh, IssueOpened.Replace("42", "43", StringComparison.Ordinal)));
        disabled.Status.ShouldBe(HttpStatusCode.Conflict);
        disabled.Body.GetProperty("code").GetString().ShouldBe("TRIGGER_DISABLED");

        (await Client.DeleteAsync($"/api/triggers/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await SendAsync(github, GitHub(id, fresh, IssueOpened))).Status.ShouldBe(HttpStatusCode.NotFound);
        (await Client.GetAsync($"/api/secrets/{created.Trigger.SecretName}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var audit = await Client.GetStringAsync("/api/audit?action=trigger");
        audit.ShouldContain("trigger.created");
        audit.ShouldContain("trigger.secret_replaced");
        audit.ShouldContain("trigger.deleted");
        audit.ShouldNotContain(fresh);
    }

    [Fact]
    public async Task Triggers_AreForAdmins_AndStartAsTheirOwner_WhoMustStillBeAllowedTo()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var template = await CreateTemplateAsync(Client);
        var operatorToken = await TestUsers.AddAsync(Server, "olga", Roles.Operator, project.Id);
        using var olga = Server.CreateClient(operatorToken);
        using (var refused = await olga.PostJsonAsync("/api/triggers", GitHubTrigger(project.Id, template, ApiBase)))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await refused.ProblemAsync()).GetProperty("detail").GetString()!.ShouldContain("the admin role");
        }

        var adminToken = await TestUsers.AddAsync(Server, "ada", Roles.Admin);
        using var ada = Server.CreateClient(adminToken);
        var created = await CreateTriggerAsync(ada, GitHubTrigger(project.Id, template, ApiBase));
        created.Trigger.Owner.Name.ShouldBe("ada");
        (await olga.GetAsync($"/api/triggers/{created.Trigger.Id}/deliveries")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var users = Server.Service<IUserStore>();
        var adaUser = (await users.FindByNameAsync("ada"))!;
        (await users.UpdateAsync(adaUser with { DisabledAt = DateTimeOffset.UtcNow })).ShouldBeTrue();
        Server.Service<ProjectAccess>().Invalidate();
        using var github = Anonymous(Server);
        var (status, problem) = await SendAsync(github, GitHub(created.Trigger.Id, created.Secret, IssueOpened));
        status.ShouldBe(HttpStatusCode.UnprocessableEntity);
        problem.GetProperty("code").GetString().ShouldBe("TRIGGER_RULE_FAILED");
        problem.GetProperty("detail").GetString()!.ShouldContain("owner (ada) is disabled");
        (await SessionsAsync(Client, project.Id)).ShouldBeEmpty();
        var delivery = (await DeliveriesAsync(Client, created.Trigger.Id)).Single();
        delivery.Outcome.ShouldBe("failed");
        delivery.Detail!.ShouldContain("is disabled");
    }
}
