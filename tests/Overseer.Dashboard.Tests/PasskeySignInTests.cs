using System.Net;
using Microsoft.Playwright;
using Overseer.Storage;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// Passkeys made and used by Chromium's virtual authenticator (the WebAuthn testing API over
/// CDP): a real authenticator as far as the page and the server can tell, with a resident key
/// and user verification.
/// </summary>
public sealed class PasskeySignInTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task Passkey_RegisteredOnTheAccountPage_SignsInWithoutAName_AndByName()
    {
        var user = await fixture.AddUserAsync("pia", "operator", "pia's password");
        var page = await fixture.NewPageAsync();
        await AddVirtualAuthenticatorAsync(page);
        await fixture.SignInWithPasswordAsync(page, "pia", "pia's password");
        await page.WaitForURLAsync(fixture.Url("/"));

        await page.GotoAsync(fixture.Url("/account"));
        (await page.Locator("#no-passkeys").IsVisibleAsync()).ShouldBeTrue();
        await page.FillAsync("#passkey-add input[name=name]", "work laptop");
        await page.ClickAsync("#passkey-add button[type=submit]");
        await page.Locator("#passkey-list tr.passkey input[name=name]").WaitForAsync();
        (await page.InputValueAsync("#passkey-list tr.passkey input[name=name]")).ShouldBe("work laptop");
        var stored = (await fixture.Server.Service<IPasskeyStore>().ListAsync(user.Id)).ShouldHaveSingleItem();
        await DashboardFixture.ScreenshotAsync(page, "account-passkeys");

        // Discoverable: no name typed, the authenticator offers the passkey it holds for this site.
        await SignOutAsync(page);
        await DashboardFixture.ScreenshotAsync(page, "sign-in");
        await page.ClickAsync("#passkey-signin");
        await page.WaitForURLAsync(fixture.Url("/"));
        await page.GotoAsync(fixture.Url("/account"));
        (await page.Locator("#account-name").TextContentAsync()).ShouldBe("pia");
        (await page.Locator("#account-method").TextContentAsync()).ShouldBe("a passkey");
        var used = (await fixture.Server.Service<IPasskeyStore>().FindAsync(stored.CredentialId))!;
        used.LastUsedAt.ShouldNotBeNull();
        used.SignCount.ShouldBeGreaterThan(stored.SignCount, "the authenticator's counter moves on with each use");

        // By name: the options list only pia's passkeys.
        await SignOutAsync(page);
        await page.FillAsync("#name", "pia");
        await page.ClickAsync("#passkey-signin");
        await page.WaitForURLAsync(fixture.Url("/"));
    }

    [Fact]
    public async Task Passkey_Removed_NoLongerSignsIn_AndADisabledUsersPasskeyIsRefused()
    {
        var user = await fixture.AddUserAsync("remy", "viewer", "remy's password");
        var page = await fixture.NewPageAsync();
        await AddVirtualAuthenticatorAsync(page);
        await fixture.SignInWithPasswordAsync(page, "remy", "remy's password");
        await page.WaitForURLAsync(fixture.Url("/"));
        await page.GotoAsync(fixture.Url("/account"));
        await page.FillAsync("#passkey-add input[name=name]", "phone");
        await page.ClickAsync("#passkey-add button[type=submit]");
        await page.Locator("#passkey-list tr.passkey").WaitForAsync();

        // Disabled: the passkey still verifies, but its user may not sign in.
        await SignOutAsync(page);
        await fixture.UpdateUserAsync(user with { DisabledAt = DateTimeOffset.UtcNow });
        var refused = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#passkey-signin"), r => r.Url.EndsWith("/login/passkey", StringComparison.Ordinal));
        refused.Status.ShouldBe((int)HttpStatusCode.Unauthorized);
        await page.Locator("#passkey-error").WaitForAsync();
        (await page.Locator("#passkey-error").TextContentAsync()).ShouldBe("That passkey is not registered here, or its user cannot sign in.");
        page.Url.ShouldStartWith(fixture.Url("/login"));

        // Removed: enabled again, the user removes the passkey; the authenticator still has it, the server does not.
        await fixture.UpdateUserAsync(user);
        await fixture.SignInWithPasswordAsync(page, "remy", "remy's password");
        await page.WaitForURLAsync(fixture.Url("/"));
        await page.GotoAsync(fixture.Url("/account"));
        await page.ClickAsync("#passkey-list tr.passkey button.danger");
        (await page.Locator("#account-message").TextContentAsync()).ShouldBe("Passkey removed.");
        (await page.Locator("#no-passkeys").IsVisibleAsync()).ShouldBeTrue();
        await SignOutAsync(page);
        var gone = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#passkey-signin"), r => r.Url.EndsWith("/login/passkey", StringComparison.Ordinal));
        gone.Status.ShouldBe((int)HttpStatusCode.Unauthorized);
    }

    /// <summary>A platform authenticator that holds resident keys and verifies its user (as a screen lock would), answering at once.</summary>
    private static async Task AddVirtualAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }

    private async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync(fixture.Url("/"));
        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync(fixture.Url("/login"));
    }
}
