namespace Overseer.SignIn;

/// <summary>How a dashboard session was signed in, kept in its cookie as the <see cref="ClaimType"/> claim.</summary>
internal static class SignInMethods
{
    public const string ClaimType = "sign_in";

    public const string Token = "token";
    public const string Password = "password";
    public const string Passkey = "passkey";
    public const string Oidc = "oidc";
}
