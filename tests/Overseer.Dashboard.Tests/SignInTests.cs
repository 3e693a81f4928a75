using System.Net;
using Microsoft.Playwright;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class SignInTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task SignIn_WithTheAdminToken_OpensTheBoard_AndSignOutEndsTheSession()
    {
        var page = await fixture.SignedInPageAsync();

        (await page.TitleAsync()).ShouldBe("Sessions · Overseer");
        (await page.Locator("nav a.active").TextContentAsync()).ShouldBe("Sessions");
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "overseer.session");
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Strict);

        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync(fixture.Url("/login"));
        await page.GotoAsync(fixture.Url("/"));
        page.Url.ShouldStartWith(fixture.Url("/login"), customMessage: "after signing out the board asks for a token again");
    }

    [Fact]
    public async Task SignIn_WithAWrongToken_IsRefused()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/"));
        page.Url.ShouldStartWith(fixture.Url("/login"), customMessage: "the board is not shown without signing in");

        await page.FillAsync("#token", "ovs_not-a-real-token");
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#token-form button[type=submit]"), r => r.Url.EndsWith("/login", StringComparison.Ordinal) && r.Request.Method == "POST");

        response!.Status.ShouldBe((int)HttpStatusCode.Unauthorized);
        (await page.Locator("#login-error").TextContentAsync()).ShouldBe("That token is not valid.");
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "overseer.session");
    }

    [Fact]
    public async Task Actions_WithoutTheAntiForgeryToken_AreRefused()
    {
        var page = await fixture.SignedInPageAsync();
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());

        // The browser's own cookie session, but a post that did not come from one of our pages.
        var status = await page.EvaluateAsync<int>(
            "async (id) => (await fetch('/ui/sessions', { method: 'POST', headers: { 'HX-Request': 'true', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'projectId=' + id + '&prompt=forged&runtime=scripted' })).status",
            project.Id);

        status.ShouldBe(400);
        (await fixture.Api.GetStringAsync("/api/sessions")).ShouldNotContain("forged");
    }
}
