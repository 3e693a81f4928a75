using System.Net;
using System.Text.RegularExpressions;

namespace Overseer.Tests.Dashboard;

/// <summary>Signs in to the dashboard the way a browser does: the form, its anti-forgery token and the cookie.</summary>
public static partial class DashboardClient
{
    public static string? LastRedirect { get; private set; }

    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(Uri address, string token, string? returnUrl = null)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
        var page = await client.GetStringAsync("/login");
        var csrf = CsrfField().Match(page).Groups[1].Value;
        var fields = new Dictionary<string, string> { ["token"] = token, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(csrf) };
        if (returnUrl is not null)
            fields["returnUrl"] = returnUrl;
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");
        LastRedirect = response.Headers.Location?.ToString();
        return (client, cookies);
    }

    /// <summary>The anti-forgery token a signed-in page carries, for posting its forms.</summary>
    public static async Task<string> CsrfAsync(HttpClient client, string page) =>
        WebUtility.HtmlDecode(CsrfField().Match(await client.GetStringAsync(page)).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
