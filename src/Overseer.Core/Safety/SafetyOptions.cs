namespace Overseer.Core.Safety;

public sealed class SafetyOptions
{
    public const string Section = "Safety";

    /// <summary>A policy file (YAML or JSON) refining the built-in rules; see docs/policy.md.</summary>
    public string? PolicyFile { get; set; }

    /// <summary>Overseer's own data directory: any access to it is BLACK. Set by the host.</summary>
    public string? DataDirectory { get; set; }
}
