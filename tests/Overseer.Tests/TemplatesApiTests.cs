using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class TemplatesApiTests : ServerTest
{
    private const string ReleaseNotes = """
        {"name": "Release notes", "category": "docs", "description": "Write the notes for a release.",
         "prompt": "Write release notes for {{version}} covering {{count}} changes{{extra}}.",
         "parametersSchema": {"type": "object", "properties": {
             "version": {"type": "string", "pattern": "^v[0-9]+\\.[0-9]+$", "description": "the release, e.g. v1.2"},
             "count": {"type": "integer", "minimum": 1},
             "extra": {"type": "string", "default": ""}},
           "required": ["version", "count"]},
         "defaults": {"priority": 5}}
        """;

    private async Task<TemplateDto> CreateAsync(string body)
    {
        using var response = await Client.PostJsonAsync("/api/templates", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!;
    }

    private async Task<JsonElement> ProblemOfAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return await response.ProblemAsync();
    }

    [Fact]
    public async Task List_HasTheBuiltInTemplates_ReadOnly()
    {
        var list = JsonDocument.Parse(await Client.GetStringAsync("/api/templates")).RootElement.GetProperty("items");
        var names = list.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        names.ShouldContain("Review a change");
        names.ShouldContain("Fix a failing test");
        names.ShouldContain("Explain a codebase");
        list.EnumerateArray().ShouldAllBe(t => t.GetProperty("builtIn").GetBoolean());

        var change = await Client.PutAsync("/api/templates/builtin-review-change", new StringContent(ReleaseNotes, System.Text.Encoding.UTF8, "application/json"));
        (await ProblemOfAsync(change, HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("TEMPLATE_BUILT_IN");
        (await ProblemOfAsync(await Client.DeleteAsync("/api/templates/builtin-review-change"), HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("TEMPLATE_BUILT_IN");
    }

    [Fact]
    public async Task Run_ChecksEveryParameter_AndEachProblemNamesIt()
    {
        var template = await CreateAsync(ReleaseNotes);
        var project = (await Client.CreateProjectAsync(NewProjectDir())).Id;

        async Task<(string? Field, string Detail)> RunFailsAsync(string parameters)
        {
            using var response = await Client.PostJsonAsync($"/api/templates/{template.Id}/run", $"{{\"projectId\": \"{project}\", \"parameters\": {parameters}}}");
            var problem = await ProblemOfAsync(response, HttpStatusCode.BadRequest);
            problem.GetProperty("code").GetString().ShouldBe("INVALID_PARAMETER");
            return (problem.TryGetProperty("field", out var f) ? f.GetString() : null, problem.GetProperty("detail").GetString()!);
        }

        var missing = await RunFailsAsync("{\"count\": 3}");
        missing.Field.ShouldBe("parameters.version");
        missing.Detail.ShouldContain("'version' is required");
        missing.Detail.ShouldContain("the release, e.g. v1.2");

        var wrongType = await RunFailsAsync("{\"version\": \"v1.2\", \"count\": \"three\"}");
        wrongType.Field.ShouldBe("parameters.count");

        var tooSmall = await RunFailsAsync("{\"version\": \"v1.2\", \"count\": 0}");
        tooSmall.Field.ShouldBe("parameters.count");

        var badPattern = await RunFailsAsync("{\"version\": \"1.2\", \"count\": 2}");
        badPattern.Field.ShouldBe("parameters.version");

        var unknown = await RunFailsAsync("{\"version\": \"v1.2\", \"count\": 2, \"colour\": \"red\"}");
        unknown.Field.ShouldBe("parameters.colour");
        unknown.Detail.ShouldContain("version, count, extra");

        JsonDocument.Parse(await Client.GetStringAsync("/api/sessions")).RootElement.GetProperty("items").GetArrayLength().ShouldBe(0, "nothing was started");
    }

    [Fact]
    public async Task Run_StartsASessionWithTheRenderedPrompt_AndCountsTheUse()
    {
        var template = await CreateAsync(ReleaseNotes);
        var project = (await Client.CreateProjectAsync(NewProjectDir())).Id;

        using var response = await Client.PostJsonAsync($"/api/templates/{template.Id}/run",
            $"{{\"projectId\": \"{project}\", \"parameters\": {{\"version\": \"v2.0\", \"count\": 12}}, \"script\": [{{\"say\": \"notes written\"}}]}}");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        session.Prompt.ShouldBe("Write release notes for v2.0 covering 12 changes.");
        session.Priority.ShouldBe(5, "the template's default");
        session.TemplateId.ShouldBe(template.Id);
        response.Headers.Location!.ToString().ShouldBe($"/api/sessions/{session.Id}");

        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var created = (await Client.GetEventsAsync(session.Id)).First(e => e.Type == EventTypes.SessionCreated);
        created.Data.GetProperty("templateId").GetString().ShouldBe(template.Id);

        var after = JsonDocument.Parse(await Client.GetStringAsync($"/api/templates/{template.Id}")).RootElement;
        after.GetProperty("usageCount").GetInt64().ShouldBe(1);
        after.TryGetProperty("lastUsedAt", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task BuiltIn_IsCopiedThenChangedAndRun_WhileTheOriginalStaysAsItWas()
    {
        using var copied = await Client.PostJsonAsync("/api/templates/builtin-explain-codebase/copy", "{\"name\": \"Explain our storage\"}");
        copied.StatusCode.ShouldBe(HttpStatusCode.Created);
        var copy = (await copied.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!;
        copy.BuiltIn.ShouldBeFalse();
        copy.Prompt.ShouldContain("{{area}}");

        var edited = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(copy, OverseerJson.Default.TemplateDto))!.AsObject();
        edited["prompt"] = "Explain the storage layer of this codebase.";
        edited["parametersSchema"] = null;
        using var put = await Client.PutAsync($"/api/templates/{copy.Id}", new StringContent(edited.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());

        using var render = await Client.PostJsonAsync($"/api/templates/{copy.Id}/render", "");
        JsonDocument.Parse(await render.Content.ReadAsStringAsync()).RootElement.GetProperty("prompt").GetString().ShouldBe("Explain the storage layer of this codebase.");
        var original = JsonDocument.Parse(await Client.GetStringAsync("/api/templates/builtin-explain-codebase")).RootElement;
        original.GetProperty("prompt").GetString()!.ShouldContain("{{area}}");

        (await Client.DeleteAsync($"/api/templates/{copy.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Client.GetAsync($"/api/templates/{copy.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WithoutASchema_EachPlaceholderIsARequiredString()
    {
        var template = await CreateAsync("""{"name": "Greet", "prompt": "Say hello to {{ who }} in {{language}}."}""");
        template.ParametersSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["who", "language"]);
        template.Category.ShouldBe("general");

        using var missing = await Client.PostJsonAsync($"/api/templates/{template.Id}/render", "{\"parameters\": {\"who\": \"Dana\"}}");
        (await ProblemOfAsync(missing, HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("parameters.language");
        using var rendered = await Client.PostJsonAsync($"/api/templates/{template.Id}/render", "{\"parameters\": {\"who\": \"Dana\", \"language\": \"Welsh\"}}");
        JsonDocument.Parse(await rendered.Content.ReadAsStringAsync()).RootElement.GetProperty("prompt").GetString().ShouldBe("Say hello to Dana in Welsh.");
    }

    [Theory]
    [InlineData("""{"prompt": "x"}""", "name")]
    [InlineData("""{"name": "a\nb", "prompt": "x"}""", "name")]
    [InlineData("""{"name": "t"}""", "prompt")]
    [InlineData("""{"name": "t", "prompt": "{{who}}", "parametersSchema": {"type": "object", "properties": {"other": {"type": "string"}}}}""", "parametersSchema")]
    [InlineData("""{"name": "t", "prompt": "x", "parametersSchema": {"type": "array"}}""", "parametersSchema")]
    [InlineData("""{"name": "t", "prompt": "x", "parametersSchema": {"type": "object", "properties": {"a": {"type": 7}}}}""", "parametersSchema")]
    [InlineData("""{"name": "t", "prompt": "x", "defaults": {"runtime": "nope"}}""", "defaults.runtime")]
    [InlineData("""{"name": "t", "prompt": "x", "defaults": {"isolation": "docker"}}""", "defaults.isolation")]
    [InlineData("""{"name": "t", "prompt": "x", "defaults": {"priority": 1000}}""", "defaults.priority")]
    public async Task Create_Refuses_NamingTheField(string body, string field)
    {
        using var response = await Client.PostJsonAsync("/api/templates", body);
        (await ProblemOfAsync(response, HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe(field);
        JsonDocument.Parse(await Client.GetStringAsync("/api/templates")).RootElement.GetProperty("items").EnumerateArray()
            .ShouldAllBe(t => t.GetProperty("builtIn").GetBoolean(), "nothing was stored");
    }

    [Fact]
    public async Task Names_AreUnique()
    {
        await CreateAsync("""{"name": "Nightly", "prompt": "x"}""");
        using var again = await Client.PostJsonAsync("/api/templates", """{"name": "nightly", "prompt": "y"}""");
        (await ProblemOfAsync(again, HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("TEMPLATE_EXISTS");
    }

    [Fact]
    public async Task Templates_SurviveARestart()
    {
        var template = await CreateAsync(ReleaseNotes);
        await RestartAsync();
        var again = JsonDocument.Parse(await Client.GetStringAsync($"/api/templates/{template.Id}")).RootElement;
        again.GetProperty("name").GetString().ShouldBe("Release notes");
        again.GetProperty("defaults").GetProperty("priority").GetInt32().ShouldBe(5);
    }
}
