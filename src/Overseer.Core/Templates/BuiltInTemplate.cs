namespace Overseer.Core.Templates;

/// <summary>A template that ships with Overseer: read-only, copied to be changed.</summary>
public sealed record BuiltInTemplate(string Id, string Name, string Description, string Category, string Prompt, string ParametersSchema, string? Isolation = null);
