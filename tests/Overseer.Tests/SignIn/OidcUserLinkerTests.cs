using System.Security.Claims;
using Overseer.SignIn.Oidc;
using Overseer.Storage;
using Overseer.TestKit;

namespace Overseer.Tests.SignIn;

/// <summary>
/// Who a validated id token signs in as, against a real server's store: the provider's accounts
/// here are claims as the OpenID Connect handler hands them over after validating the token.
/// </summary>
public sealed class OidcUserLinkerTests : ServerTest
{
    private const string Issuer = "https://idp.example.com/";
    private string? _projectId;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Oidc:Authority"] = Issuer,
        ["Auth:Oidc:ClientId"] = "overseer",
        ["Auth:Oidc:AutoCreateUsers"] = "true",
        ["Auth:Oidc:GroupMappings:0:Group"] = "web-team",
        ["Auth:Oidc:GroupMappings:0:Role"] = "operator",
        ["Auth:Oidc:GroupMappings:0:ProjectId"] = _projectId ?? "p_later",
        ["Auth:Oidc:GroupMappings:1:Group"] = "ghosts",
        ["Auth:Oidc:GroupMappings:1:Role"] = "viewer",
        ["Auth:Oidc:GroupMappings:1:ProjectId"] = "p_does_not_exist",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _projectId = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        await RestartAsync();
    }

    private OidcUserLinker Linker => Server.Service<OidcUserLinker>();
    private IUserStore Users => Server.Service<IUserStore>();

    private static ClaimsPrincipal Account(string subject, string name, params string[] groups) =>
        new(new ClaimsIdentity(
            [new Claim("sub", subject, null, Issuer), new Claim("preferred_username", name, null, Issuer), .. groups.Select(g => new Claim("groups", g, null, Issuer))],
            "AuthenticationTypes.Federation"));

    [Fact]
    public async Task ProjectGroup_GivesTheMembership_AndLeavingTheGroupTakesItAway()
    {
        var user = await Linker.SignInAsync(Account("sub-1", "wendy", "web-team", "ghosts"), default);

        user.Role.ShouldBe("viewer", "no global mapping: the default role");
        (await Users.MembershipsAsync(userId: user.Id)).ShouldBe([new ProjectMembership(_projectId!, user.Id, "operator")], "the mapping to a project that does not exist is skipped");

        var again = await Linker.SignInAsync(Account("sub-1", "wendy"), default);

        again.Id.ShouldBe(user.Id);
        (await Users.MembershipsAsync(userId: user.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task NameTakenByAnotherUser_GetsASuffix_AndNeverSignsInAsThatUser()
    {
        await Users.AddAsync(new UserRecord("u_local_admin", "root", "owner", null, DateTimeOffset.UtcNow));

        var user = await Linker.SignInAsync(Account("sub-2", "root"), default);

        user.Id.ShouldNotBe("u_local_admin");
        user.Name.ShouldBe("root-2");
        user.Role.ShouldBe("viewer");
    }

    [Fact]
    public async Task DisabledUser_IsRefusedWithAMessage()
    {
        var user = await Linker.SignInAsync(Account("sub-3", "xena"), default);
        await Users.UpdateAsync(user with { DisabledAt = DateTimeOffset.UtcNow });

        var refusal = await Should.ThrowAsync<OidcRefusal>(() => Linker.SignInAsync(Account("sub-3", "xena"), default));

        refusal.Message.ShouldBe("Your Overseer user 'xena' is disabled: ask an admin.");
    }

    [Fact]
    public async Task SameSubjectAtAnotherIssuer_IsAnotherAccount()
    {
        var here = await Linker.SignInAsync(Account("sub-4", "yuri"), default);
        var elsewhere = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "sub-4", null, "https://other-idp.example.com/")], "AuthenticationTypes.Federation"));

        var other = await Linker.SignInAsync(elsewhere, default);

        other.Id.ShouldNotBe(here.Id);
    }
}

public sealed class OidcWithoutAutoCreateTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Oidc:Authority"] = "https://idp.example.com/",
        ["Auth:Oidc:ClientId"] = "overseer",
        ["Auth:Oidc:DisplayName"] = "Keycloak",
    };

    [Fact]
    public async Task UnlinkedAccount_IsRefused_AndNoUserIsCreated()
    {
        var before = (await Server.Service<IUserStore>().ListAsync()).Count;
        var account = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "sub-9", null, "https://idp.example.com/"), new Claim("preferred_username", "zed")], "AuthenticationTypes.Federation"));

        var refusal = await Should.ThrowAsync<OidcRefusal>(() => Server.Service<OidcUserLinker>().SignInAsync(account, default));

        refusal.Message.ShouldBe("No Overseer user is linked to this Keycloak account, and this server does not create users on sign-in: ask an admin.");
        (await Server.Service<IUserStore>().ListAsync()).Count.ShouldBe(before);
    }
}
