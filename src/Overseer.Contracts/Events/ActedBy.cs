namespace Overseer.Contracts.Events;

/// <summary>
/// Who does something: the name shown ("approved by dana"), and for a person their user id and
/// the API token they used (null for a cookie session signed in another way, and for the
/// system and the agent, which are only names).
/// </summary>
public sealed record ActedBy(string Name, string? UserId = null, string? TokenId = null)
{
    /// <summary>The system or the agent, or a name from a caller that knows no more (tests, recovery).</summary>
    public static implicit operator ActedBy(string name) => new(name);

    public override string ToString() => Name;
}
