using System.Net;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Tests.Auth;

/// <summary>Which tokens the server accepts, and with what role, now that tokens belong to users.</summary>
public sealed class TokenPrincipalsTests : ServerTest
{
    private IUserStore Users => Server.Service<IUserStore>();
    private IApiTokenStore Tokens => Server.Service<IApiTokenStore>();

    private async Task<string> AddTokenAsync(string userName, string userRole, string ceiling, DateTimeOffset? expiresAt = null)
    {
        var user = await Users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new UserRecord("u_" + userName, userName, userRole, null, DateTimeOffset.UtcNow);
            (await Users.AddAsync(user)).ShouldBeTrue();
        }
        var token = ApiTokens.Generate();
        await Tokens.AddAsync(new ApiTokenRecord("t_" + Guid.NewGuid().ToString("N")[..8], user.Id, "test", ceiling, ApiTokens.Hash(token), DateTimeOffset.UtcNow, expiresAt));
        return token;
    }

    private async Task<HttpStatusCode> StatusWithAsync(string token)
    {
        using var client = Server.CreateClient(token);
        using var response = await client.GetAsync("/api/sessions");
        return response.StatusCode;
    }

    [Fact]
    public async Task BootstrapToken_BelongsToTheFirstOwner()
    {
        var principal = await Server.Service<TokenPrincipals>().FindAsync(Server.Token, CancellationToken.None);
        principal.ShouldNotBeNull();
        principal.UserId().ShouldBe(AdminTokenBootstrap.FirstOwnerId);
        principal.Role().ShouldBe(Roles.Owner);
        (await Users.FindAsync(AdminTokenBootstrap.FirstOwnerId))!.Role.ShouldBe(Roles.Owner);
    }

    [Fact]
    public async Task Token_ActsWithTheLesserOfItsCeilingAndItsUsersRole()
    {
        var readOnly = await Server.Service<TokenPrincipals>().FindAsync(await AddTokenAsync("dana", Roles.Operator, Roles.Viewer), CancellationToken.None);
        readOnly!.Role().ShouldBe(Roles.Viewer);
        readOnly!.Name().ShouldBe("dana");
        // A ceiling above the user's role gives nothing more than the user has.
        var overreaching = await Server.Service<TokenPrincipals>().FindAsync(await AddTokenAsync("dana", Roles.Operator, Roles.Owner), CancellationToken.None);
        overreaching!.Role().ShouldBe(Roles.Operator);
    }

    [Fact]
    public async Task RevokedToken_IsRefusedAtOnce_EvenAfterItWasCached()
    {
        var token = await AddTokenAsync("erin", Roles.Admin, Roles.Admin);
        (await StatusWithAsync(token)).ShouldBe(HttpStatusCode.OK);
        var id = (await Tokens.ListAsync((await Users.FindByNameAsync("erin"))!.Id)).ShouldHaveSingleItem().Id;

        (await Tokens.RevokeAsync(id, DateTimeOffset.UtcNow)).ShouldBeTrue();
        (await Tokens.RevokeAsync(id, DateTimeOffset.UtcNow)).ShouldBeFalse("it already was");
        Server.Service<ApiTokenCache>().Clear();

        (await StatusWithAsync(token)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ExpiredToken_IsRefused_AndOneThatExpiresLaterIsNot()
    {
        (await StatusWithAsync(await AddTokenAsync("finn", Roles.Admin, Roles.Admin, DateTimeOffset.UtcNow.AddMinutes(-1)))).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusWithAsync(await AddTokenAsync("finn", Roles.Admin, Roles.Admin, DateTimeOffset.UtcNow.AddHours(1)))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TokensOfADisabledOrRemovedUser_AreRefused()
    {
        var token = await AddTokenAsync("gus", Roles.Admin, Roles.Admin);
        var gus = (await Users.FindByNameAsync("gus"))!;
        (await Users.UpdateAsync(gus with { DisabledAt = DateTimeOffset.UtcNow })).ShouldBeTrue();
        Server.Service<ApiTokenCache>().Clear();
        (await StatusWithAsync(token)).ShouldBe(HttpStatusCode.Unauthorized);

        (await Users.UpdateAsync(gus)).ShouldBeTrue();
        (await StatusWithAsync(token)).ShouldBe(HttpStatusCode.OK);

        (await Users.RemoveAsync(gus.Id, DateTimeOffset.UtcNow)).ShouldBeTrue();
        Server.Service<ApiTokenCache>().Clear();
        (await StatusWithAsync(token)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Tokens.ListAsync(gus.Id)).ShouldAllBe(t => t.RevokedAt != null, "a removed user's tokens stay on record, revoked");
    }
}
