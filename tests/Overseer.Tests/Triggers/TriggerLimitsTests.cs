using System.Net;
using Overseer.TestKit;
using static Overseer.Tests.Triggers.TriggerKit;

namespace Overseer.Tests.Triggers;

/// <summary>What one trigger takes: a body up to Triggers:MaxBodyBytes, and Triggers:PerTriggerPerMinute signed deliveries.</summary>
public sealed class TriggerLimitsTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Triggers:PerTriggerPerMinute"] = "2",
        ["Triggers:MaxBodyBytes"] = "2048",
    };

    [Fact]
    public async Task Hook_PastTheRateOrTheSize_IsRefused_AndStartsNothing()
    {
        await PutSecretAsync(Client, "GITHUB_TOKEN", GitHubToken);
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var created = await CreateTriggerAsync(Client, GitHubTrigger(project.Id, await CreateTemplateAsync(Client), "http://127.0.0.1:9/api/v3"));
        using var github = Anonymous(Server);

        var big = IssueOpened.Replace("Feed it a file", new string('x', 4096), StringComparison.Ordinal);
        var tooBig = await SendAsync(github, GitHub(created.Trigger.Id, created.Secret, big));
        tooBig.Status.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        tooBig.Body.GetProperty("code").GetString().ShouldBe("BODY_TOO_LARGE");

        var closed = IssueOpened.Replace("\"opened\"", "\"closed\"", StringComparison.Ordinal);
        (await SendAsync(github, GitHub(created.Trigger.Id, created.Secret, closed.Replace("42", "1", StringComparison.Ordinal)))).Status.ShouldBe(HttpStatusCode.Accepted);
        (await SendAsync(github, GitHub(created.Trigger.Id, created.Secret, closed.Replace("42", "2", StringComparison.Ordinal)))).Status.ShouldBe(HttpStatusCode.Accepted);
        using var third = GitHub(created.Trigger.Id, created.Secret, IssueOpened);
        using var response = await github.SendAsync(third);
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await SessionsAsync(Client, project.Id)).ShouldBeEmpty();
        (await DeliveriesAsync(Client, created.Trigger.Id)).Count.ShouldBe(2, "a refused delivery is not stored");
    }
}
