namespace Overseer.SignIn.Oidc;

/// <summary>A sign-in the provider vouched for that Overseer still refuses; the message is shown to the person as it is.</summary>
internal sealed class OidcRefusal(string message) : Exception(message);
