using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class TokensAndAuditTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = fixture.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task TokensPage_CreatesAReadOnlyTokenShownOnceWithCopy_ThenRevokesIt()
    {
        var page = await fixture.SignedInPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = fixture.Url("/").TrimEnd('/') });
        await page.ClickAsync("nav >> text=Tokens");
        await page.WaitForURLAsync(fixture.Url("/tokens"));
        (await page.TitleAsync()).ShouldBe("Tokens · Overseer");

        await page.FillAsync("input[name=name]", "wall display");
        await page.SelectOptionAsync("select[name=role]", "viewer");
        await page.FillAsync("input[name=expiresInDays]", "30");
        await page.ClickAsync("button:has-text('Create token')");
        var shown = page.Locator("#new-token");
        await shown.WaitForAsync();
        var token = await shown.InputValueAsync();
        token.ShouldStartWith("ovs_");
        await page.ClickAsync("button[data-copy]");
        await page.Locator("button[data-copy]:has-text('Copied')").WaitForAsync();
        (await page.EvaluateAsync<string>("() => navigator.clipboard.readText()")).ShouldBe(token);
        var row = page.Locator("#tokens tr", new PageLocatorOptions { HasText = "wall display" });
        (await row.Locator("td[data-label=Role]").TextContentAsync()).ShouldBe("viewer");
        await DashboardFixture.ScreenshotAsync(page, "tokens-created");

        using var wall = ClientWith(token);
        (await wall.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Shown once: a reload lists the token without it.
        await page.ReloadAsync();
        (await page.ContentAsync()).ShouldNotContain(token);
        (await row.Locator("td[data-label='Last used'] time").CountAsync()).ShouldBe(1, "its use a moment ago is recorded");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button:has-text('Revoke')").ClickAsync();
        await page.Locator("#tokens tr[data-status=revoked]", new PageLocatorOptions { HasText = "wall display" }).WaitForAsync();
        (await wall.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AuditPage_ShowsWhoApprovedWhat_AndFiltersByAction()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[] { new { tool = new { name = "Bash", input = new { command = "curl https://audit.example" }, output = "ran" } } });
        var session = await fixture.Api.CreateSessionAsync(project.Id, script);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var approvalId = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/approvals?status=pending&sessionId={session.Id}"))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        (await fixture.Api.PostJsonAsync($"/api/approvals/{approvalId}/approve", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var page = await fixture.SignedInPageAsync();
        await page.ClickAsync("nav >> text=Audit");
        await page.WaitForURLAsync(fixture.Url("/audit"));
        var approved = page.Locator("#audit tr[data-action='approval.approved']", new PageLocatorOptions { HasText = "curl https://audit.example" });
        (await approved.Locator("td[data-label=Who] strong").TextContentAsync()).ShouldBe("admin");
        (await approved.Locator("td[data-label=What]").TextContentAsync())!.ShouldStartWith("approved: Bash: curl https://audit.example");
        await DashboardFixture.ScreenshotAsync(page, "audit");

        await page.SelectOptionAsync("select[name=action]", "question.answered");
        await page.ClickAsync("#audit-filters button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("action=question.answered", StringComparison.Ordinal));
        (await page.Locator("#audit tr[data-action='approval.approved']").CountAsync()).ShouldBe(0);
    }
}
