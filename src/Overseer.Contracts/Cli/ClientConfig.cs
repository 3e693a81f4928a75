namespace Overseer.Contracts.Cli;

/// <summary>What <c>overseer login</c> stores in the user's config directory: the server and its API token.</summary>
public sealed record ClientConfig(string Url, string Token);
