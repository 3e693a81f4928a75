using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using Overseer.Storage;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

/// <summary>Signing in with a name and password, its limits, and sessions that end when their user or token changes.</summary>
public sealed class PasswordSignInTests(SignInFixture fixture) : IClassFixture<SignInFixture>
{
    [Fact]
    public async Task Password_Right_OpensTheBoard_AsThatUser()
    {
        await fixture.AddUserAsync("pat", "operator", "correct horse battery");
        var page = await fixture.NewPageAsync();

        await fixture.SignInWithPasswordAsync(page, "pat", "correct horse battery");

        await page.WaitForURLAsync(fixture.Url("/"));
        (await page.TitleAsync()).ShouldBe("Sessions · Overseer");
        await page.ClickAsync("#account-link");
        (await page.Locator("#account-name").TextContentAsync()).ShouldBe("pat");
        (await page.Locator("#account-role").TextContentAsync()).ShouldBe("operator");
        (await page.Locator("#account-method").TextContentAsync()).ShouldBe("a password");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "overseer.session");
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);
    }

    [Fact]
    public async Task Password_WrongOrUnknownName_SaysTheSameAndOpensNothing()
    {
        await fixture.AddUserAsync("quinn", "viewer", "the right one");
        var page = await fixture.NewPageAsync();

        var wrong = await SubmitAsync(page, "quinn", "not the right one");
        var wrongText = await page.Locator("#login-error").TextContentAsync();
        var unknown = await SubmitAsync(page, "nobody-by-this-name", "not the right one");
        var unknownText = await page.Locator("#login-error").TextContentAsync();

        wrong.Status.ShouldBe((int)HttpStatusCode.Unauthorized);
        unknown.Status.ShouldBe((int)HttpStatusCode.Unauthorized);
        wrongText.ShouldBe("The name or password is wrong.");
        unknownText.ShouldBe(wrongText, "an unknown name must not be told apart from a wrong password");
        (await page.InputValueAsync("#name")).ShouldBe("nobody-by-this-name", "the name typed is kept");
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "overseer.session");
    }

    [Fact]
    public async Task Password_TooManyAttemptsForOneName_Answers429WithRetryAfter_EvenWithTheRightPassword()
    {
        await fixture.AddUserAsync("rita", "viewer", "right password");
        var page = await fixture.NewPageAsync();
        for (var i = 0; i < SignInFixture.AttemptsPerUser; i++)
            (await SubmitAsync(page, "rita", "guess " + i)).Status.ShouldBe((int)HttpStatusCode.Unauthorized);

        var limited = await SubmitAsync(page, "RITA", "right password");

        limited.Status.ShouldBe(429, "names are limited case-insensitively, as they are unique");
        int.Parse(await limited.HeaderValueAsync("retry-after") ?? "0", System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
        (await page.Locator("#login-error").TextContentAsync()).ShouldStartWith("Too many sign-in attempts. Try again in ");
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "overseer.session");
        // Another name from the same address is not held up by rita's limit.
        await fixture.AddUserAsync("sam", "viewer", "sam's password");
        await fixture.SignInWithPasswordAsync(page, "sam", "sam's password");
        await page.WaitForURLAsync(fixture.Url("/"));
    }

    [Fact]
    public async Task Password_StoredWithAnOldHash_IsRehashedOnSignIn()
    {
        var user = await fixture.AddUserAsync("uma", "viewer", "old hash password", PasswordHasherCompatibilityMode.IdentityV2);
        var page = await fixture.NewPageAsync();

        await fixture.SignInWithPasswordAsync(page, "uma", "old hash password");
        await page.WaitForURLAsync(fixture.Url("/"));

        var stored = (await fixture.Users.FindAsync(user.Id))!.PasswordHash!;
        stored.ShouldNotBe(user.PasswordHash);
        Convert.FromBase64String(stored)[0].ShouldBe((byte)0x01, "the V3 format (PBKDF2 with HMAC-SHA512)");
        new PasswordHasher<UserRecord>().VerifyHashedPassword(user, stored, "old hash password").ShouldBe(PasswordVerificationResult.Success);
    }

    [Fact]
    public async Task DisablingAUser_EndsTheirSessionOnTheNextRequest_AndARoleChangeShowsAtOnce()
    {
        var user = await fixture.AddUserAsync("dora", "operator", "dora's password");
        var page = await fixture.NewPageAsync();
        await fixture.SignInWithPasswordAsync(page, "dora", "dora's password");
        await page.WaitForURLAsync(fixture.Url("/"));

        await fixture.UpdateUserAsync(user = user with { Role = "viewer" });
        await page.GotoAsync(fixture.Url("/account"));
        (await page.Locator("#account-role").TextContentAsync()).ShouldBe("viewer", "the cookie follows the user's new role without signing in again");

        await fixture.UpdateUserAsync(user with { DisabledAt = DateTimeOffset.UtcNow });
        await page.GotoAsync(fixture.Url("/account"));

        page.Url.ShouldStartWith(fixture.Url("/login"), customMessage: "a disabled user's session ends on its next request");
        (await page.Context.CookiesAsync()).ShouldNotContain(c => c.Name == "overseer.session");
        (await SubmitAsync(page, "dora", "dora's password")).Status.ShouldBe((int)HttpStatusCode.Unauthorized, "nor can they sign in again");
    }

    [Fact]
    public async Task RevokingTheTokenASessionSignedInWith_EndsThatSession()
    {
        var user = await fixture.AddUserAsync("tess", "operator", null);
        var token = Auth.ApiTokens.Generate();
        var tokens = fixture.Server.Service<IApiTokenStore>();
        await tokens.AddAsync(new ApiTokenRecord("t_tess", user.Id, "tess's laptop", "operator", Auth.ApiTokens.Hash(token), DateTimeOffset.UtcNow));
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/login"));
        await page.FillAsync("#token", token);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.WaitForURLAsync(fixture.Url("/"));

        await tokens.RevokeAsync("t_tess", DateTimeOffset.UtcNow);
        fixture.Server.Service<Auth.AccessChanges>().Changed();
        await page.GotoAsync(fixture.Url("/stats"));

        page.Url.ShouldStartWith(fixture.Url("/login"));
    }

    /// <summary>Posts the password form from the sign-in page (opening it first unless the browser is on it) and returns the answer.</summary>
    private async Task<IResponse> SubmitAsync(IPage page, string name, string password)
    {
        if (!page.Url.StartsWith(fixture.Url("/login"), StringComparison.Ordinal))
            await page.GotoAsync(fixture.Url("/login"));
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        return await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("#password-form button[type=submit]"),
            r => r.Url.EndsWith("/login", StringComparison.Ordinal) && r.Request.Method == "POST");
    }
}
