using System.Net;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class SecretsApiTests : ServerTest
{
    private const string Value = "sk-live-4f7c2a9e81b3";

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Put_StoresEncrypted_AndTheApiNeverReturnsTheValue()
    {
        using var put = await Client.PutAsync("/api/secrets/STRIPE_KEY", new StringContent(JsonSerializer.Serialize(new { value = Value }), Encoding.UTF8, "application/json"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await put.Content.ReadAsStringAsync()).ShouldNotContain(Value);
        var list = await Client.GetStringAsync("/api/secrets");
        list.ShouldContain("STRIPE_KEY");
        list.ShouldNotContain(Value);
        (await Client.GetStringAsync("/api/secrets/STRIPE_KEY")).ShouldNotContain(Value);

        File.GetUnixFileMode(Path.Combine(DataDir, "vault.key")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var file in Directory.GetFiles(DataDir, "overseer.db*"))
            (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Value)).ShouldBe(-1, file);

        (await Client.DeleteAsync("/api/secrets/STRIPE_KEY")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Client.DeleteAsync("/api/secrets/STRIPE_KEY")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/secrets/1BAD", "{\"value\": \"x\"}", "name")]
    [InlineData("/api/secrets/has-dash", "{\"value\": \"x\"}", "name")]
    [InlineData("/api/secrets/GOOD", "{\"value\": \"\"}", "value")]
    [InlineData("/api/secrets/GOOD", "{\"value\": \"abcd\", \"projects\": [\"p_nope\"]}", "projects")]
    [InlineData("/api/secrets/GOOD", "{\"value\": 42}", "value")]
    public async Task Put_BadInput_Answers400NamingTheField(string path, string body, string field)
    {
        using var response = await Client.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe(field);
    }

    [Theory]
    [InlineData("PATH")]
    [InlineData("LD_PRELOAD")]
    [InlineData("LD_ANYTHING")]
    [InlineData("BASH_ENV")]
    [InlineData("PROMPT_COMMAND")]
    [InlineData("NODE_OPTIONS")]
    [InlineData("PYTHONSTARTUP")]
    [InlineData("JAVA_TOOL_OPTIONS")]
    [InlineData("DOTNET_STARTUP_HOOKS")]
    [InlineData("GIT_SSH_COMMAND")]
    [InlineData("HOME")]
    [InlineData("OVERSEER__Safety__PolicyFile")]
    [InlineData("npm_config_script_shell")]
    public async Task Put_NameThatChangesHowProgramsStart_Answers400AndStoresNothing(string name)
    {
        using var response = await Client.PutAsync($"/api/secrets/{name}", new StringContent("{\"value\": \"/tmp/evil.so\"}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("SECRET_NAME_RESERVED");
        problem.GetProperty("field").GetString().ShouldBe("name");
        problem.GetProperty("detail").GetString()!.ShouldContain("would change how programs start");
        (await Client.GetStringAsync("/api/secrets")).ShouldNotContain(name);
    }

    [Fact]
    public async Task Events_NeverCarryASecretValue_PlainOrEncoded()
    {
        using var put = await Client.PutAsync("/api/secrets/API_TOKEN", new StringContent(JsonSerializer.Serialize(new { value = Value }), Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes("Authorization: Bearer " + Value));
        var script = JsonSerializer.Serialize(new object[]
        {
            new { say = $"the token is {Value}" },
            new { tool = new { name = "Bash", input = new { command = $"echo {Value}" }, output = $"header {encoded}" } },
        });
        var session = await Client.CreateSessionAsync(project.Id, script, prompt: $"use {Value}");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var raw = await Client.GetStringAsync($"/api/sessions/{session.Id}/events?limit=1000");
        raw.ShouldNotContain(Value);
        raw.ShouldNotContain(encoded);
        raw.ShouldContain("«secret:API_TOKEN»");
        (await Client.GetStringAsync($"/api/sessions/{session.Id}")).ShouldNotContain(Value);
    }
}
