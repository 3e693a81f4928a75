using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Overseer.Tests.Dashboard;

namespace Overseer.Tests.SignIn;

public sealed partial class SignInLimitsTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Dashboard:LoginAttemptsPerMinute"] = "3" };

    [Fact]
    public async Task SignIn_MoreAttemptsFromOneAddressThanAllowed_Answers429PageWithRetryAfter_ForPasswordTokenAndPasskey()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Address };
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(await anonymous.GetStringAsync("/login")).Groups[1].Value);
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await anonymous.PostAsync("/login", Form(("name", "someone"), ("password", "guess " + i), ("__RequestVerificationToken", csrf)));
            attempt.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var password = await anonymous.PostAsync("/login", Form(("name", "someone"), ("password", "another"), ("__RequestVerificationToken", csrf)));
        using var token = await anonymous.PostAsync("/login", Form(("token", Server.Token), ("__RequestVerificationToken", csrf)));
        using var passkey = await anonymous.PostAsync("/login/passkey/options", new StringContent("{}", Encoding.UTF8, "application/json"));

        password.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        password.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
        (await password.Content.ReadAsStringAsync()).ShouldContain("Too many sign-in attempts. Try again in ");
        password.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        token.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "even the right token waits: the limit is on attempts, not on failures");
        passkey.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        passkey.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await passkey.Content.ReadAsStringAsync()).ShouldContain("\"code\":\"RATE_LIMITED\"");
    }

    [Fact]
    public async Task PasskeyOptions_WithoutTheAntiForgeryToken_AreRefused()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Address };

        using var response = await anonymous.PostAsync("/login/passkey/options", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("The page expired");
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
