using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Storage;
using Overseer.Storage.Sqlite;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

/// <summary>Two people in two projects, each signed in in Chromium: each sees only their own sessions, live; owners manage users.</summary>
public sealed class PeopleTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static string Ask(string question) => JsonSerializer.Serialize(new object[]
    {
        new { ask = new { question, header = "Pick", options = new[] { new { label = "Yes" }, new { label = "No" } } } },
        new { say = "thanks" },
    });

    /// <summary>A user made through the API, a member of one project, and a token of theirs written to the server's store (as the tokens API would).</summary>
    private async Task<(string Token, HttpClient Client)> PersonAsync(string name, string projectId)
    {
        var created = await fixture.Api.PostAsJsonAsync("/api/users", new CreateUserRequest(name, Roles.Operator, null), OverseerJson.Default.CreateUserRequest);
        created.EnsureSuccessStatusCode();
        var user = (await created.Content.ReadFromJsonAsync(OverseerJson.Default.UserDto))!;
        (await fixture.Api.PutAsJsonAsync($"/api/projects/{projectId}/members/{user.Id}", new PutMemberRequest(Roles.Operator), OverseerJson.Default.PutMemberRequest)).EnsureSuccessStatusCode();
        var token = ApiTokens.Generate();
        var store = new SqliteApiTokenStore(new SqliteDatabase(Path.Combine(fixture.Server.DataDir, "overseer.db")));
        await store.AddAsync(new ApiTokenRecord("t_" + name, user.Id, name, Roles.Operator, ApiTokens.Hash(token), DateTimeOffset.UtcNow));
        var client = fixture.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return (token, client);
    }

    private async Task<IPage> SignInAsync(string token)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/login"));
        await page.FillAsync("#token", token);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.WaitForURLAsync(fixture.Url("/"));
        return page;
    }

    [Fact]
    public async Task TwoPeopleInTwoProjects_EachSeeOnlyTheirOwnSessions_OnEveryPageAndLive()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var alpha = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "alpha-" + suffix);
        var beta = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "beta-" + suffix);
        var (aliceToken, alice) = await PersonAsync("alice-" + suffix, alpha.Id);
        var (bobToken, bob) = await PersonAsync("bob-" + suffix, beta.Id);
        var aliceSession = await alice.CreateSessionAsync(alpha.Id, Ask("Alpha question?"), prompt: "Paint the alpha shed");
        var bobSession = await bob.CreateSessionAsync(beta.Id, Ask("Beta question?"), prompt: "Paint the beta shed");
        await fixture.Api.WaitForStatusAsync(aliceSession.Id, SessionStatus.Waiting);
        await fixture.Api.WaitForStatusAsync(bobSession.Id, SessionStatus.Waiting);

        foreach (var (token, mine, theirs, myProject, theirProject) in new[]
        {
            (aliceToken, aliceSession, bobSession, alpha, beta),
            (bobToken, bobSession, aliceSession, beta, alpha),
        })
        {
            var page = await SignInAsync(token);
            await page.Locator($"#card-{mine.Id}").WaitForAsync();
            (await page.Locator("#cards .card").CountAsync()).ShouldBe(1);
            (await page.Locator(".top nav a", new() { HasTextString = "Users" }).CountAsync()).ShouldBe(0);

            await page.GotoAsync(fixture.Url("/inbox"));
            await page.Locator("#inbox-list", new() { HasTextString = mine == aliceSession ? "Alpha question?" : "Beta question?" }).WaitForAsync();
            (await page.Locator("#inbox-list").TextContentAsync())!.ShouldNotContain(mine == aliceSession ? "Beta question?" : "Alpha question?");

            await page.GotoAsync(fixture.Url("/projects"));
            (await page.Locator("#projects tbody").TextContentAsync())!.ShouldContain(myProject.Name);
            (await page.Locator("#projects tbody").TextContentAsync())!.ShouldNotContain(theirProject.Name);
            (await page.Locator("form[hx-post='/ui/projects']").CountAsync()).ShouldBe(0, "only admins add projects");

            var hidden = await page.GotoAsync(fixture.Url($"/sessions/{theirs.Id}"));
            hidden!.Status.ShouldBe(404);
            (await page.Locator("main").TextContentAsync())!.ShouldContain($"No session has id '{theirs.Id}'.");

            await page.GotoAsync(fixture.Url("/search?q=shed"));
            (await page.Locator("main").TextContentAsync())!.ShouldContain(mine.Id == aliceSession.Id ? "alpha shed" : "beta shed");
            (await page.Locator("main").TextContentAsync())!.ShouldNotContain(mine.Id == aliceSession.Id ? "beta shed" : "alpha shed");
        }

        // Live: a session started in beta never reaches Alice's board; one started in alpha after it does.
        var board = await SignInAsync(aliceToken);
        await board.Locator($"#card-{aliceSession.Id}").WaitForAsync();
        var betaLater = await bob.CreateSessionAsync(beta.Id, Ask("Later beta?"), prompt: "beta later");
        await fixture.Api.WaitForStatusAsync(betaLater.Id, SessionStatus.Waiting);
        var alphaLater = await alice.CreateSessionAsync(alpha.Id, Ask("Later alpha?"), prompt: "alpha later");
        await board.Locator($"#card-{alphaLater.Id}").WaitForAsync();
        (await board.Locator($"#card-{betaLater.Id}").CountAsync()).ShouldBe(0);
        (await board.Locator("#cards .card").CountAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task Owner_UsersPage_AddsChangesRoleAndRemovesAUser()
    {
        var name = "uma-" + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.SignedInPageAsync();
        await page.ClickAsync(".top nav a:has-text('Users')");
        await page.WaitForURLAsync(fixture.Url("/users"));

        await page.ClickAsync("details.panel > summary");
        await page.FillAsync("#add-user input[name=name]", name);
        await page.SelectOptionAsync("#add-user select[name=role]", Roles.Operator);
        await page.ClickAsync("#add-user button[type=submit]");
        var row = page.Locator($"tr[data-user='{name}']");
        await row.WaitForAsync();

        await row.Locator("select[name=role]").SelectOptionAsync(Roles.Admin);
        await Poll.UntilAsync(async () => (await fixture.Api.GetFromJsonAsync("/api/users", OverseerJson.Default.ListResponseUserDto))!.Items.Single(u => u.Name == name).Role,
            role => role == Roles.Admin, TimeSpan.FromSeconds(10), "the role change to reach the server");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button", new() { HasTextString = "Remove" }).ClickAsync();
        await page.Locator($"tr[data-user='{name}']").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await fixture.Api.GetFromJsonAsync("/api/users", OverseerJson.Default.ListResponseUserDto))!.Items.ShouldNotContain(u => u.Name == name);

        // The last owner cannot be demoted: the page says why.
        await page.Locator("tr[data-user='admin'] select[name=role]").SelectOptionAsync(Roles.Viewer);
        await page.Locator("#toasts .toast", new() { HasTextString = "last owner" }).WaitForAsync();
    }
}
