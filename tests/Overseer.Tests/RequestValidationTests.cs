using System.Net;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class RequestValidationTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Api:MaxBodyBytes"] = "4096" };

    private async Task<(HttpStatusCode Status, string? Code, string? Field)> PostAsync(string path, string json)
    {
        using var response = await Client.PostJsonAsync(path, json);
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, null, null);
        var problem = await response.ProblemAsync();
        return (response.StatusCode,
            problem.TryGetProperty("code", out var c) ? c.GetString() : null,
            problem.TryGetProperty("field", out var f) ? f.GetString() : null);
    }

    [Theory]
    [InlineData("/api/projects", "{\"path\": ")]
    [InlineData("/api/projects", "not json")]
    [InlineData("/api/sessions", "{\"projectId\": \"p\", ")]
    [InlineData("/api/sessions", "[1, 2]")]
    [InlineData("/api/sessions", "null")]
    public async Task Post_MalformedJson_Answers400InvalidJson(string path, string body)
    {
        var (status, code, _) = await PostAsync(path, body);
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_JSON");
    }

    [Theory]
    [InlineData("/api/projects", "{\"path\": 42}", "path")]
    [InlineData("/api/projects", "{\"path\": \"/tmp\", \"name\": [\"x\"]}", "name")]
    [InlineData("/api/sessions", "{\"projectId\": \"p\", \"prompt\": 5}", "prompt")]
    [InlineData("/api/sessions", "{\"projectId\": \"p\", \"prompt\": \"x\", \"priority\": \"high\"}", "priority")]
    [InlineData("/api/sessions", "{\"projectId\": true, \"prompt\": \"x\"}", "projectId")]
    public async Task Post_WrongFieldType_Answers400NamingTheField(string path, string body, string field)
    {
        var (status, code, actualField) = await PostAsync(path, body);
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_FIELD");
        actualField.ShouldBe(field);
    }

    [Fact]
    public async Task Post_WrongFieldTypeInMessage_Answers400NamingTheField()
    {
        var (status, _, field) = await PostAsync("/api/sessions/s_x/messages", "{\"text\": {\"a\": 1}}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        field.ShouldBe("text");
    }

    [Fact]
    public async Task Post_OversizedBody_Answers413()
    {
        var big = "{\"projectId\": \"p\", \"prompt\": \"" + new string('x', 10_000) + "\"}";
        var (status, code, _) = await PostAsync("/api/sessions", big);
        status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        code.ShouldBe("BODY_TOO_LARGE");
    }

    [Fact]
    public async Task Post_NonJsonContentType_Answers415()
    {
        using var response = await Client.PostAsync("/api/projects", new StringContent("path=/tmp", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task CreateSession_MissingPrompt_Answers400NamingPrompt()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var (status, code, field) = await PostAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\"}}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("INVALID_FIELD");
        field.ShouldBe("prompt");
    }

    [Fact]
    public async Task CreateSession_UnknownProject_Answers400ProjectNotFound()
    {
        var (status, code, field) = await PostAsync("/api/sessions", "{\"projectId\": \"p_nope\", \"prompt\": \"x\"}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("PROJECT_NOT_FOUND");
        field.ShouldBe("projectId");
    }

    [Fact]
    public async Task CreateSession_UnknownRuntime_Answers400NamingRuntime()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var (status, code, field) = await PostAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"x\", \"runtime\": \"gpt-9000\"}}");
        status.ShouldBe(HttpStatusCode.BadRequest);
        code.ShouldBe("UNKNOWN_RUNTIME");
        field.ShouldBe("runtime");
    }

    [Theory]
    [InlineData("[{\"say\": \"ok\"}, {\"dance\": 1}]", "script[1]")]
    [InlineData("[{\"say\": \"ok\"}, {\"sleep\": -5}]", "script[1].sleep")]
    [InlineData("[{\"ask\": {\"question\": \"q\", \"options\": \"a,b\"}}]", "script[0].ask.options")]
    [InlineData("{\"say\": \"not an array\"}", "script must be a JSON array")]
    public async Task CreateSession_InvalidScript_Answers400NamingTheStep(string script, string named)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        using var response = await Client.PostJsonAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"x\", \"runtime\": \"scripted\", \"script\": {script}}}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("INVALID_SCRIPT");
        problem.GetProperty("detail").GetString()!.ShouldContain(named);
        (await Client.GetStringAsync("/api/sessions")).ShouldContain("\"items\":[]");
    }

    [Theory]
    [InlineData("/api/sessions?limit=0", "limit")]
    [InlineData("/api/sessions?limit=abc", "limit")]
    [InlineData("/api/sessions?status=sleeping", "status")]
    [InlineData("/api/questions?status=maybe", "status")]
    [InlineData("/api/stream?after=-1", "after")]
    public async Task Get_BadQueryParameter_Answers400NamingIt(string path, string field)
    {
        using var response = await Client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe(field);
    }
}
