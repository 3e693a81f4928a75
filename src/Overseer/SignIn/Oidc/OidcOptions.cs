namespace Overseer.SignIn.Oidc;

/// <summary><c>Auth:Oidc</c>: single sign-on with the team's OpenID Connect provider. Off while <see cref="Authority"/> is not set.</summary>
public sealed class OidcOptions
{
    public const string Section = "Auth:Oidc";
    public static readonly IReadOnlyList<string> DefaultScopes = ["openid", "profile", "email"];

    /// <summary>The provider's issuer URL (its discovery document is under <c>/.well-known/openid-configuration</c>).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>For a confidential client; a public client relies on PKCE alone.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for; <c>openid</c> is always among them. Default: openid, profile, email.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The provider's name on the sign-in button ("Sign in with …").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>Create a user on the first sign-in of an account no user is linked to; otherwise such a sign-in is refused.</summary>
    public bool AutoCreateUsers { get; set; }

    /// <summary>The global role of a user created on sign-in when no group mapping gives one.</summary>
    public string DefaultRole { get; set; } = "viewer";

    /// <summary>The id token claim that lists the account's groups.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The id token claim a new user's name is taken from (then <c>name</c>, <c>email</c>, <c>sub</c>).</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Groups that give a global role (no <c>ProjectId</c>) or a role in one project, applied on every sign-in.</summary>
    public List<OidcGroupMapping> GroupMappings { get; set; } = [];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>The scopes asked for: the configured ones (or the defaults), always with openid.</summary>
    public IReadOnlyList<string> EffectiveScopes() =>
        (Scopes.Count == 0 ? DefaultScopes : Scopes.Prepend("openid")).Distinct(StringComparer.Ordinal).ToList();
}

public sealed class OidcGroupMapping
{
    public string Group { get; set; } = "";

    public string Role { get; set; } = "";

    /// <summary>When set, the group makes its members members of this project with <see cref="Role"/>; otherwise <see cref="Role"/> is global.</summary>
    public string? ProjectId { get; set; }
}
