using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>
/// Issue 12's fuzz findings: text that is not Unicode, names that hide characters, bodies that
/// are not declared JSON, the policy listing without a project. Each was a 500 or silently accepted.
/// </summary>
public sealed class InputTextTests : ServerTest
{
    private async Task<(HttpStatusCode Status, string? Code, string? Field)> SendAsync(HttpMethod method, string path, byte[] body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await Client.SendAsync(request);
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, null, null);
        var problem = await response.ProblemAsync();
        return (response.StatusCode,
            problem.TryGetProperty("code", out var c) ? c.GetString() : null,
            problem.TryGetProperty("field", out var f) ? f.GetString() : null);
    }

    private Task<(HttpStatusCode Status, string? Code, string? Field)> PostAsync(string path, string json, string contentType = "application/json") =>
        SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(json), contentType);

    [Theory]
    [InlineData("{\"tool\": \"Bash\", \"input\": {\"command\": \"echo \\ud800\"}, \"projectId\": \"P\"}", "input.command")]
    [InlineData("{\"tool\": \"Bash\", \"input\": {\"command\": \"echo \\udc00 x\"}, \"projectId\": \"P\"}", "input.command")]
    [InlineData("{\"tool\": \"\\ud83d\", \"input\": {}, \"projectId\": \"P\"}", "tool")]
    public async Task PolicyEvaluate_UnpairedSurrogate_Answers400NamingTheField(string template, string field)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var (status, code, actual) = await PostAsync("/api/policy/evaluate", template.Replace("\"P\"", $"\"{project.Id}\"", StringComparison.Ordinal));
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_TEXT");
        actual.ShouldBe(field);
    }

    [Theory]
    [InlineData("[{\"say\": \"\\ud800\"}]", "script[0].say")]
    [InlineData("[{\"say\": \"ok\"}, {\"tool\": {\"name\": \"\\udfff\"}}]", "script[1].tool.name")]
    [InlineData("[{\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"ls \\ud800\"}}}]", "script[0].tool.input.command")]
    public async Task CreateSession_UnpairedSurrogateInScript_Answers400NamingTheStep(string script, string field)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var (status, code, actual) = await PostAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"x\", \"runtime\": \"scripted\", \"script\": {script}}}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_TEXT");
        actual.ShouldBe(field);
        (await Client.GetStringAsync("/api/sessions")).ShouldContain("\"items\":[]");
    }

    [Fact]
    public async Task CreateSession_InvalidUtf8InPrompt_Answers400NamingPrompt()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        byte[] body = [.. Encoding.UTF8.GetBytes($"{{\"projectId\": \"{project.Id}\", \"prompt\": \"a"), 0xC3, 0x28, .. "\"}"u8.ToArray()];
        var (status, code, field) = await SendAsync(HttpMethod.Post, "/api/sessions", body);
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_TEXT");
        field.ShouldBe("prompt");
    }

    [Fact]
    public async Task CreateSession_EncodedSurrogateBytesInPrompt_Answers400NamingPrompt()
    {
        // U+D800 encoded as if it were a character (CESU-style): not UTF-8.
        var project = await Client.CreateProjectAsync(NewProjectDir());
        byte[] body = [.. Encoding.UTF8.GetBytes($"{{\"projectId\": \"{project.Id}\", \"prompt\": \""), 0xED, 0xA0, 0x80, .. "\"}"u8.ToArray()];
        var (status, code, field) = await SendAsync(HttpMethod.Post, "/api/sessions", body);
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_TEXT");
        field.ShouldBe("prompt");
    }

    [Fact]
    public async Task SendMessage_UnpairedSurrogate_Answers400NamingText()
    {
        var (status, code, field) = await PostAsync("/api/sessions/s_x/messages", "{\"text\": \"hi \\ud800\"}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_TEXT");
        field.ShouldBe("text");
    }

    [Fact]
    public async Task Post_UnpairedSurrogateInPropertyName_Answers400()
    {
        var (status, code, _) = await PostAsync("/api/projects", "{\"\\ud800\": 1, \"path\": \"/tmp\"}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_TEXT");
    }

    [Theory]
    [InlineData("/api/sessions?projectId=%ED%A0%80", "projectId")]
    [InlineData("/api/sessions?status=idle&cursor=%C3%28", "cursor")]
    [InlineData("/api/approvals?sessionId=%FF", "sessionId")]
    [InlineData("/api/policy?projectId=%ED%BF%BF", "projectId")]
    public async Task Get_InvalidUtf8InQuery_Answers400NamingTheParameter(string path, string field)
    {
        using var response = await Client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("INVALID_TEXT");
        problem.GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task Get_Utf8InQuery_IsAccepted()
    {
        using var response = await Client.GetAsync("/api/sessions?projectId=%C3%A9t%C3%A9%F0%9F%98%80");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("evil\u0000name", "control")]
    [InlineData("abc\u202Etxt.exe", "bidirectional")]
    [InlineData("\uFEFFproject", "invisible")]
    [InlineData("a\u200Bb", "invisible")]
    [InlineData("line\nbreak", "control")]
    [InlineData("tab\there", "control")]
    [InlineData("iso\u2066late", "bidirectional")]
    public async Task CreateProject_NameWithHiddenCharacter_Answers400NamingName(string name, string said)
    {
        var json = JsonSerializer.Serialize(new { path = NewProjectDir(), name });
        using var response = await Client.PostJsonAsync("/api/projects", json);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ProblemAsync();
        problem.GetProperty("field").GetString().ShouldBe("name");
        problem.GetProperty("detail").GetString()!.ShouldContain(said);
        (await Client.GetStringAsync("/api/projects")).ShouldContain("\"items\":[]");
    }

    [Fact]
    public async Task CreateProject_NameWithAccentsAndEmoji_IsAccepted()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir(), "Café 🚀 日本");
        project.Name.ShouldBe("Café 🚀 日本");
    }

    [Fact]
    public async Task CreateProject_DirectoryNameWithBidiOverrideAndNoName_Answers400NamingName()
    {
        var (status, _, field) = await PostAsync("/api/projects", JsonSerializer.Serialize(new { path = NewProjectDir("gpj.\u202Eexe") }));
        status.ShouldBe(HttpStatusCode.BadRequest);
        field.ShouldBe("name");
    }

    [Theory]
    [InlineData("application/jsonp-garbage")]
    [InlineData("application/javascript")]
    [InlineData("text/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-json-ish")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/+json")]
    public async Task Post_NotJsonContentType_Answers415(string contentType)
    {
        var (status, code, _) = await PostAsync("/api/projects", JsonSerializer.Serialize(new { path = NewProjectDir() }), contentType);
        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        code.ShouldBe("UNSUPPORTED_MEDIA_TYPE");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    [InlineData("application/merge-patch+json")]
    [InlineData("application/vnd.overseer+json; charset=utf-8")]
    public async Task Post_JsonContentType_IsAccepted(string contentType)
    {
        var (status, _, _) = await PostAsync("/api/projects", JsonSerializer.Serialize(new { path = NewProjectDir() }), contentType);
        status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task GetPolicy_WithoutProject_AnswersTheGlobalRules()
    {
        using var response = await Client.GetAsync("/api/policy");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var rules = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rules");
        rules.GetArrayLength().ShouldBeGreaterThan(0);
        rules.EnumerateArray().Where(r => r.TryGetProperty("project", out _)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetPolicy_EmptyProjectId_AnswersTheGlobalRules()
    {
        using var response = await Client.GetAsync("/api/policy?projectId=");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetPolicy_UnknownProject_Answers404NamingProjectId()
    {
        using var response = await Client.GetAsync("/api/policy?projectId=p_nope");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("projectId");
    }
}
