using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Dashboard;

/// <summary>
/// The approval card offers "Deny and hibernate" only once the approval has waited
/// Sessions:HibernateAfter by the server's clock; before that it asks for itself again when it will.
/// </summary>
public abstract class DenyAndHibernateCardTest : ServerTest
{
    protected async Task<(HttpClient Dashboard, string SessionId, string ApprovalId)> PendingApprovalAsync()
    {
        var (dashboard, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new object[] { new { tool = new { name = "Bash", input = new { command = "curl https://example.com" } } } });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var items = JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}")).RootElement.GetProperty("items");
        return (dashboard, session.Id, items.EnumerateArray().Single().GetProperty("id").GetString()!);
    }
}

public sealed partial class DenyAndHibernateNotYetTests : DenyAndHibernateCardTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sessions:HibernateAfter"] = "01:00:00" };

    [Fact]
    public async Task ApprovalCard_YoungerThanHibernateAfter_HasNoDenyAndHibernate_AndAsksForItselfWhenItWillBeOffered()
    {
        var (dashboard, sessionId, approvalId) = await PendingApprovalAsync();

        var page = await dashboard.GetStringAsync($"/sessions/{sessionId}");
        page.ShouldContain("data-action=\"deny\"");
        page.ShouldNotContain("deny-hibernate");
        var delay = int.Parse(RefetchDelay().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        delay.ShouldBeInRange(3500, 3600);
        var card = await dashboard.GetStringAsync($"/ui/approvals/{approvalId}");
        card.ShouldContain($"/ui/approvals/{approvalId}/approve");
        card.ShouldNotContain("deny-hibernate");

        using var refused = await Client.PostJsonAsync($"/api/approvals/{approvalId}/deny", """{"hibernate": true}""");
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("offered once");
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);
    }

    [GeneratedRegex("hx-trigger=\"load delay:([0-9]+)s\"")]
    private static partial Regex RefetchDelay();
}

public sealed class DenyAndHibernateOfferedTests : DenyAndHibernateCardTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sessions:HibernateAfter"] = "00:00:00.050" };

    [Fact]
    public async Task ApprovalCard_OlderThanHibernateAfter_OffersDenyAndHibernate_WhichDeniesAndHibernatesTheSession()
    {
        var (dashboard, sessionId, approvalId) = await PendingApprovalAsync();

        await Poll.UntilAsync(() => dashboard.GetStringAsync($"/ui/approvals/{approvalId}"), card => card.Contains("data-action=\"deny-hibernate\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the card to offer deny and hibernate");
        var csrf = await DashboardClient.CsrfAsync(dashboard, $"/sessions/{sessionId}");
        using var denied = await dashboard.PostAsync($"/ui/approvals/{approvalId}/deny?hibernate=true",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf, ["reason"] = "away" }));

        denied.StatusCode.ShouldBe(HttpStatusCode.OK, await denied.Content.ReadAsStringAsync());
        (await denied.Content.ReadAsStringAsync()).ShouldContain("denied by admin, and the session hibernated: away");
        var session = await Client.GetSessionAsync(sessionId);
        session.Status.ShouldBe(SessionStatus.Idle);
        session.Hibernated.ShouldBeTrue();
    }
}
