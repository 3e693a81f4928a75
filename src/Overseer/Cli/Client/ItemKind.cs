namespace Overseer.Cli.Client;

/// <summary>A kind of item with an id: its noun for messages, its list route and its id prefix.</summary>
public sealed record ItemKind(string Noun, string ListPath, string IdPrefix);
