using System.Net;
using System.Text;
using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary><c>Idempotency-Key</c> on <c>POST /api/sessions</c>: a retried or doubled request makes one session.</summary>
public sealed class IdempotencyKeyTests : ServerTest
{
    private const string Script = "[{\"say\": \"hello\"}]";

    private static HttpRequestMessage Create(string projectId, string key, string prompt = "fix it", string? json = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = new StringContent(json ?? $"{{\"projectId\": \"{projectId}\", \"prompt\": \"{prompt}\", \"runtime\": \"scripted\", \"script\": {Script}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<int> SessionCountAsync(string projectId) =>
        JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions?projectId={projectId}")).RootElement.GetProperty("items").GetArrayLength();

    [Fact]
    public async Task Create_SameKeyTwiceAtOnce_CreatesOneSessionAndAnswersBothWithIt()
    {
        var projectId = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Client.SendAsync(Create(projectId, key)), Client.SendAsync(Create(projectId, key)));

        var bodies = new List<string>();
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            bodies.Add(await response.Content.ReadAsStringAsync());
        }
        bodies[1].ShouldBe(bodies[0]);
        responses.Count(r => r.Headers.Contains("Idempotent-Replayed")).ShouldBe(1);
        (await SessionCountAsync(projectId)).ShouldBe(1);
    }

    [Fact]
    public async Task Create_SameKeyAfterARestart_AnswersTheOriginalSessionAgain()
    {
        var projectId = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var key = Guid.NewGuid().ToString();
        using var first = await Client.SendAsync(Create(projectId, key));
        var body = await first.Content.ReadAsStringAsync();

        await RestartAsync();
        // The same request, formatted differently: still the same request.
        using var retry = await Client.SendAsync(Create(projectId, key, json: $"{{ \"prompt\":\"fix it\",  \"projectId\":\"{projectId}\", \"script\":{Script}, \"runtime\":\"scripted\" }}"));

        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(body);
        (await SessionCountAsync(projectId)).ShouldBe(1);
    }

    [Fact]
    public async Task Create_SameKeyDifferentRequest_Answers409AndCreatesNothing()
    {
        var projectId = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var key = Guid.NewGuid().ToString();
        using var first = await Client.SendAsync(Create(projectId, key));
        var firstId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        using var other = await Client.SendAsync(Create(projectId, key, prompt: "something else"));

        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await other.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("IDEMPOTENCY_KEY_REUSED");
        problem.GetProperty("field").GetString().ShouldBe("Idempotency-Key");
        problem.GetProperty("detail").GetString()!.ShouldContain(firstId);
        (await SessionCountAsync(projectId)).ShouldBe(1);
    }

    [Fact]
    public async Task Create_FailedRequest_DoesNotUseUpTheKey()
    {
        var projectId = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var key = Guid.NewGuid().ToString();
        using var refused = await Client.SendAsync(Create(projectId, key, json: $"{{\"projectId\": \"{projectId}\", \"prompt\": \"x\", \"runtime\": \"gpt-9000\"}}"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        using var created = await Client.SendAsync(Create(projectId, key));

        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await SessionCountAsync(projectId)).ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("256 characters")]
    public async Task Create_MalformedKey_Answers400NamingTheHeader(string key)
    {
        if (key == "256 characters")
            key = new string('k', 256);
        var projectId = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var request = Create(projectId, "placeholder");
        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await Client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("Idempotency-Key");
        (await SessionCountAsync(projectId)).ShouldBe(0);
    }
}
