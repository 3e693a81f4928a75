namespace Overseer.TestKit.OpenId;

/// <summary>An account at the test provider: its subject, the name it gives, and its groups.</summary>
public sealed record OpenIdUser(string Subject, string Name, IReadOnlyList<string> Groups);
