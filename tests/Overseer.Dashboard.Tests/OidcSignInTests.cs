using System.Net;
using Microsoft.Playwright;
using Overseer.Storage;
using Overseer.TestKit.OpenId;

namespace Overseer.Dashboard.Tests;

/// <summary>Single sign-on in Chromium against the TestKit's OpenID provider (OpenIddict) on loopback.</summary>
public sealed class OidcSignInTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task FirstSignIn_CreatesTheUser_WithTheRoleTheirGroupMapsTo_AndTheNextFollowsTheGroups()
    {
        fixture.Provider.Fault = IdTokenFault.None;
        fixture.Provider.SignedInAs = new OpenIdUser("sub-olga", "olga", [SignInFixture.AdminsGroup, "unrelated"]);
        var page = await fixture.NewPageAsync();

        await SignInWithProviderAsync(page);
        // The first sign-in of the class is the provider's first too (discovery, keys, code
        // exchange, all cold): on a loaded machine it takes longer than a page load.
        await page.WaitForURLAsync(fixture.Url("/"), new() { Timeout = 60_000 });

        var user = (await fixture.Users.FindByNameAsync("olga")).ShouldNotBeNull();
        user.Role.ShouldBe("admin");
        user.PasswordHash.ShouldBeNull();
        var link = (await fixture.Server.Service<IExternalLoginStore>().FindAsync(fixture.Provider.Issuer.ToString(), "sub-olga")).ShouldNotBeNull();
        link.UserId.ShouldBe(user.Id);
        await page.GotoAsync(fixture.Url("/account"));
        (await page.Locator("#account-name").TextContentAsync()).ShouldBe("olga");
        (await page.Locator("#account-role").TextContentAsync()).ShouldBe("admin");
        (await page.Locator("#account-method").TextContentAsync()).ShouldBe(SignInFixture.ProviderName);

        // Moved from the admins to the ops group at the provider: the next sign-in makes her an operator, the same user.
        fixture.Provider.SignedInAs = new OpenIdUser("sub-olga", "olga", [SignInFixture.OpsGroup]);
        await page.Context.ClearCookiesAsync();
        await SignInWithProviderAsync(page);
        await page.WaitForURLAsync(fixture.Url("/"));
        (await fixture.Users.FindAsync(user.Id))!.Role.ShouldBe("operator");
        (await fixture.Users.ListAsync()).Count(u => u.Name.StartsWith("olga", StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task IdTokenWithABadSignature_IsRefused_AndCreatesNobody()
    {
        fixture.Provider.SignedInAs = new OpenIdUser("sub-mallory", "mallory", []);
        fixture.Provider.Fault = IdTokenFault.BadSignature;
        try
        {
            await AssertRefusedAsync("mallory", "IDX10511"); // signature validation failed
        }
        finally
        {
            fixture.Provider.Fault = IdTokenFault.None;
        }
    }

    [Fact]
    public async Task ExpiredIdToken_IsRefused_AndCreatesNobody()
    {
        fixture.Provider.SignedInAs = new OpenIdUser("sub-eve", "eve", [SignInFixture.AdminsGroup]);
        fixture.Provider.Fault = IdTokenFault.Expired;
        try
        {
            await AssertRefusedAsync("eve", "IDX10223"); // lifetime validation failed: the token is expired
        }
        finally
        {
            fixture.Provider.Fault = IdTokenFault.None;
        }
    }

    /// <param name="why">The IdentityModel error the server must have refused the token with, so nothing else (a lost cookie) passes for it.</param>
    private async Task AssertRefusedAsync(string name, string why)
    {
        var page = await fixture.NewPageAsync();
        var issued = fixture.Provider.TokensIssued;

        var callback = await page.RunAndWaitForResponseAsync(() => SignInWithProviderAsync(page), r => r.Url.Contains("/signin-oidc", StringComparison.Ordinal));

        fixture.Provider.TokensIssued.ShouldBeGreaterThan(issued, "the provider did hand out a token: it is Overseer that refused it");
        callback.Status.ShouldBe((int)HttpStatusCode.Unauthorized);
        (await page.Locator("#login-error").TextContentAsync())!.ShouldStartWith($"The sign-in with {SignInFixture.ProviderName} could not be verified");
        (await fixture.Users.FindByNameAsync(name)).ShouldBeNull();
        fixture.Logs.Lines.ShouldContain(line => line.Contains("A single sign-on was refused", StringComparison.Ordinal) && line.Contains(why, StringComparison.Ordinal));
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "overseer.session");
        await page.GotoAsync(fixture.Url("/"));
        page.Url.ShouldStartWith(fixture.Url("/login"));
    }

    private async Task SignInWithProviderAsync(IPage page)
    {
        await page.GotoAsync(fixture.Url("/login"));
        (await page.Locator("#oidc-signin").TextContentAsync()).ShouldBe($"Sign in with {SignInFixture.ProviderName}");
        // The click starts a chain (provider, callback, a page of ours that moves on) that the
        // caller waits out with WaitForURL; Playwright's own wait after a click loses track of it.
        await page.EvalOnSelectorAsync("#oidc-signin", "link => link.click()");
    }
}
