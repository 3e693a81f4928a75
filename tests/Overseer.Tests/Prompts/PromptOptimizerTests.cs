using System.Net;
using System.Text.Json;
using Overseer.Prompts;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Tests.Prompts;

/// <summary>The optimiser against the TestKit's mock of the Anthropic Messages API, on loopback, through the API and the CLI.</summary>
/// <summary>A server whose optimiser calls the TestKit's mock Messages API (started first: the settings name its address).</summary>
public abstract class OptimizerServerTest : ServerTest
{
    protected MockAnthropicServer Anthropic { get; private set; } = null!;

    /// <summary>The optimiser's settings besides its address.</summary>
    protected abstract IDictionary<string, string?> OptimizerSettings { get; }

    protected override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(OptimizerSettings) { ["Prompts:Optimizer:BaseUrl"] = Anthropic.BaseUrl.ToString() };

    public override async Task InitializeAsync()
    {
        Anthropic = await MockAnthropicServer.StartAsync();
        Anthropic.EveryMessageIsConversation = true;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}

public sealed class PromptOptimizerTests : OptimizerServerTest
{
    private const string Key = "sk-ant-test-key-0000";

    protected override IDictionary<string, string?> OptimizerSettings => new Dictionary<string, string?>
    {
        ["Prompts:Optimizer:ApiKey"] = Key,
        ["Prompts:Optimizer:Model"] = "claude-test-model",
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> OptimizeAsync(string json)
    {
        using var response = await Client.PostJsonAsync("/api/prompts/optimize", json);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Optimize_AsksTheModel_AndAnswersTheSuggestionWithItsWordDiff()
    {
        const string Suggestion = "Fix the failing test in tests/parser_test.go.\n\nDone when `go test ./...` passes.";
        Anthropic.Enqueue(MockReply.Text(Suggestion));

        var (status, body) = await OptimizeAsync("""{"prompt": "fix the failing test"}""");

        status.ShouldBe(HttpStatusCode.OK, body.ToString());
        var result = body.Deserialize(PromptJson.Default.OptimizedPromptDto)!;
        result.Suggestion.ShouldBe(Suggestion);
        result.Model.ShouldBe("claude-test-model");
        result.Warnings.ShouldBeEmpty();
        string.Concat(result.Diff.Where(s => s.Op != WordDiff.Insert).Select(s => s.Text)).ShouldBe("fix the failing test");
        string.Concat(result.Diff.Where(s => s.Op != WordDiff.Delete).Select(s => s.Text)).ShouldBe(Suggestion);
        result.Diff.ShouldContain(new DiffSpan(WordDiff.Delete, "fix"));
        result.Diff.ShouldContain(new DiffSpan(WordDiff.Equal, " the failing test"));

        var request = Anthropic.Requests.Single();
        request.Path.ShouldBe("/v1/messages");
        request.Headers["x-api-key"].ShouldBe(Key);
        request.Headers["anthropic-version"].ShouldBe("2023-06-01");
        request.Body!["model"]!.GetValue<string>().ShouldBe("claude-test-model");
        request.Body["system"]!.GetValue<string>().ShouldContain("Keep every {{placeholder}}");
        request.Messages.Single()!["content"]!.GetValue<string>().ShouldContain("<prompt>\nfix the failing test\n</prompt>");
    }

    [Fact]
    public async Task Optimize_WarnsOfALostPlaceholder_RefusesBadInput_AndReportsTheApisError()
    {
        Anthropic.Enqueue(MockReply.Text("<prompt>Write thorough tests for the parser.</prompt>"));
        var (status, body) = await OptimizeAsync("""{"prompt": "write tests for {{file}}"}""");
        status.ShouldBe(HttpStatusCode.OK);
        body.GetProperty("suggestion").GetString().ShouldBe("Write thorough tests for the parser.", "the echoed wrapping is taken off");
        body.GetProperty("warnings")[0].GetString()!.ShouldContain("drops {{file}}");

        var empty = await OptimizeAsync("""{"prompt": "  "}""");
        empty.Status.ShouldBe(HttpStatusCode.BadRequest);
        empty.Body.GetProperty("field").GetString().ShouldBe("prompt");
        var runtime = await OptimizeAsync("""{"prompt": "x", "runtime": "openai"}""");
        runtime.Body.GetProperty("code").GetString().ShouldBe("UNKNOWN_RUNTIME");

        Anthropic.Enqueue(MockReply.Error(529, "overloaded_error", "Overloaded"));
        var failed = await OptimizeAsync("""{"prompt": "fix it"}""");
        failed.Status.ShouldBe(HttpStatusCode.BadGateway);
        failed.Body.GetProperty("code").GetString().ShouldBe("OPTIMIZER_FAILED");
        failed.Body.GetProperty("detail").GetString()!.ShouldContain("Overloaded");
        failed.Body.ToString().ShouldNotContain(Key);
        Anthropic.PendingReplies.ShouldBe(0);
    }

    [Fact]
    public async Task Cli_PromptOptimize_PrintsTheChangesAndTheSuggestion()
    {
        var home = Path.Combine(DataDir, "..", "cli-home");
        Directory.CreateDirectory(home);
        var cli = new CliEnvironment(home);
        (await cli.RunAsync("login", Server.Address.ToString(), "--token", Server.Token)).ExitCode.ShouldBe(0);
        Anthropic.Enqueue(MockReply.Text("Fix the flaky retry test in sync_test.go."));
        Anthropic.Enqueue(MockReply.Text("Fix the flaky retry test in sync_test.go."));

        var run = await cli.RunAsync("prompt", "optimize", "fix the flaky test");
        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.ShouldContain("[-fix-]{+Fix+} the flaky {+retry +}test{+ in sync_test.go.+}");
        run.Stdout.ShouldContain("Suggestion (claude-test-model)\nFix the flaky retry test in sync_test.go.\n");

        var only = await cli.RunAsync("prompt", "optimize", "fix the flaky test", "--suggestion-only");
        only.Stdout.ShouldBe("Fix the flaky retry test in sync_test.go.\n");
    }
}

/// <summary>The optimiser's key from the vault, and a clear 503 while there is none.</summary>
public sealed class PromptOptimizerKeyTests : OptimizerServerTest
{
    protected override IDictionary<string, string?> OptimizerSettings => new Dictionary<string, string?>
    {
        ["Prompts:Optimizer:ApiKeySecret"] = "OPTIMIZER_KEY",
    };

    [Fact]
    public async Task Optimize_WithoutItsKey_Answers503NamingTheSetting_AndWithTheVaultsKey_Works()
    {
        using (var missing = await Client.PostJsonAsync("/api/prompts/optimize", """{"prompt": "fix it"}"""))
        {
            missing.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var problem = await missing.ProblemAsync();
            problem.GetProperty("code").GetString().ShouldBe("OPTIMIZER_NOT_CONFIGURED");
            problem.GetProperty("detail").GetString()!.ShouldContain("'OPTIMIZER_KEY'");
        }
        Anthropic.Requests.ShouldBeEmpty();

        using (var put = await Client.PutAsync("/api/secrets/OPTIMIZER_KEY", new StringContent("{\"value\": \"sk-from-vault\", \"projects\": []}", System.Text.Encoding.UTF8, "application/json")))
            put.EnsureSuccessStatusCode();
        Anthropic.Enqueue(MockReply.Text("Fix it, and add a test that fails without the fix."));
        using var ok = await Client.PostJsonAsync("/api/prompts/optimize", """{"prompt": "fix it"}""");
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        Anthropic.Requests.Single().Headers["x-api-key"].ShouldBe("sk-from-vault");
    }
}

public sealed class PromptOptimizerNotConfiguredTests : ServerTest
{
    [Fact]
    public async Task Optimize_WithNoOptimizer_Answers503SayingWhatToSet()
    {
        using var response = await Client.PostJsonAsync("/api/prompts/optimize", """{"prompt": "fix it"}""");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("OPTIMIZER_NOT_CONFIGURED");
        problem.GetProperty("detail").GetString()!.ShouldContain("Prompts:Optimizer:ApiKey");
    }
}
