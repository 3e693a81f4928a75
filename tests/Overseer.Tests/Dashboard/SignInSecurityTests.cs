using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Overseer.Tests.Dashboard;

public sealed partial class SignInSecurityTests : ServerTest
{
    private const string CookieName = "overseer.session";

    private HttpClient WithCookie(string value)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.Address };
        client.DefaultRequestHeaders.Add("Cookie", $"{CookieName}={value}");
        return client;
    }

    private async Task SignOutAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/");
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(page).Groups[1].Value);
        using var response = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = csrf }));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/login");
    }

    [Fact]
    public async Task SignOut_ReplayingTheOldCookie_OpensNothing_AlsoAfterARestart()
    {
        var (client, cookies) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        var stolen = cookies.GetCookies(Server.Address)[CookieName]!.Value;
        using (var before = WithCookie(stolen))
            (await before.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await SignOutAsync(client);

        using (var replay = WithCookie(stolen))
        {
            using var response = await replay.GetAsync("/");
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a signed-out session must stay closed");
            response.Headers.Location!.AbsolutePath.ShouldBe("/login");
        }
        await RestartAsync();
        using (var replay = WithCookie(stolen))
            (await replay.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task SignIn_Restart_KeepsTheSessionOpen()
    {
        var (_, cookies) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        var cookie = cookies.GetCookies(Server.Address)[CookieName]!.Value;

        await RestartAsync();

        using var client = WithCookie(cookie);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/\r\nSet-Cookie: a=b")]
    [InlineData("/\u0085/evil.example")]
    [InlineData("/\u00a0/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/sessions\\..\\\\evil.example")]
    [InlineData(" //evil.example")]
    [InlineData("\t//evil.example")]
    public async Task SignIn_ReturnUrlWithControlCharactersOrBackslashes_GoesHome(string returnUrl)
    {
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token, returnUrl);

        DashboardClient.LastRedirect.ShouldBe("/");
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_ReturnUrlWithNul_IsRefusedWithoutARedirect()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Address };
        var page = await anonymous.GetStringAsync("/login");
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(page).Groups[1].Value);
        var fields = new Dictionary<string, string> { ["token"] = Server.Token, ["returnUrl"] = "/\0/evil.example", ["__RequestVerificationToken"] = csrf };

        using var response = await anonymous.PostAsync("/login", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.Location.ShouldBeNull();
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAPageHere_GoesThere()
    {
        await DashboardClient.SignInAsync(Server.Address, Server.Token, "/inbox?x=1");

        DashboardClient.LastRedirect.ShouldBe("/inbox?x=1");
    }

    [Fact]
    public async Task SignIn_TwoMegabyteForm_Answers413()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        using var body = new StringContent("token=" + new string('x', 2 * 1024 * 1024), Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await anonymous.PostAsync("/login", body);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
