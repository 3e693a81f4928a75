using System.Net;
using System.Text;
using Overseer.Auth;
using Overseer.Storage;
using Overseer.Tests.Dashboard;

namespace Overseer.Tests.SignIn;

public sealed class PasskeyRegistrationTests : ServerTest
{
    private async Task<HttpClient> SignedInWithTokenAsync(string userRole, string tokenCeiling)
    {
        var user = new UserRecord("u_" + Guid.NewGuid().ToString("N")[..8], "user-" + Guid.NewGuid().ToString("N")[..6], userRole, null, DateTimeOffset.UtcNow);
        await Server.Service<IUserStore>().AddAsync(user);
        var token = ApiTokens.Generate();
        await Server.Service<IApiTokenStore>().AddAsync(new ApiTokenRecord("t_" + user.Id, user.Id, "laptop", tokenCeiling, ApiTokens.Hash(token), DateTimeOffset.UtcNow));
        var (client, _) = await DashboardClient.SignInAsync(Server.Address, token);
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", await DashboardClient.CsrfAsync(client, "/account"));
        return client;
    }

    [Fact]
    public async Task AddPasskey_FromASessionWhoseTokenCeilingIsBelowTheUsersRole_IsRefused()
    {
        using var client = await SignedInWithTokenAsync("admin", "viewer");

        using var response = await client.PostAsync("/account/passkeys/options", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "a passkey would sign in as admin from a session that may only view");
        (await response.Content.ReadAsStringAsync()).ShouldContain("acts with less than your role");
    }

    [Fact]
    public async Task AddPasskey_FromASessionWithTheWholeRole_GetsCreationOptionsForThatUser()
    {
        using var client = await SignedInWithTokenAsync("operator", "admin");

        using var response = await client.PostAsync("/account/passkeys/options", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("\"residentKey\":\"required\"");
        body.ShouldContain("\"userVerification\":\"required\"");
        body.ShouldContain("\"id\":\"localhost\"", customMessage: "the relying party a loopback server implies");
    }

    [Fact]
    public async Task AnsweringAChallengeTwice_IsRefusedTheSecondTime()
    {
        using var client = await SignedInWithTokenAsync("operator", "operator");
        using var options = await client.PostAsync("/account/passkeys/options", new StringContent("{}", Encoding.UTF8, "application/json"));
        var challenge = System.Text.Json.JsonDocument.Parse(await options.Content.ReadAsStringAsync()).RootElement.GetProperty("challenge").GetString();
        var answer = "{\"challenge\":\"" + challenge + "\",\"name\":\"key\",\"credential\":{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\","
            + "\"response\":{\"attestationObject\":\"AA\",\"clientDataJSON\":\"AA\",\"transports\":[]},\"clientExtensionResults\":{}}}";

        using var first = await client.PostAsync("/account/passkeys", new StringContent(answer, Encoding.UTF8, "application/json"));
        using var second = await client.PostAsync("/account/passkeys", new StringContent(answer, Encoding.UTF8, "application/json"));

        first.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await first.Content.ReadAsStringAsync()).ShouldContain("PASSKEY_REFUSED", customMessage: "a forged answer fails verification");
        second.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await second.Content.ReadAsStringAsync()).ShouldContain("PASSKEY_CHALLENGE_EXPIRED", customMessage: "the challenge was used up by the first answer");
    }
}
