namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Whether a model provider can serve sessions: an API key is configured, the endpoint answers,
/// and the configured model is one it lists. <paramref name="Detail"/> says which, in words.
/// </summary>
public sealed record ModelReadiness(bool KeyPresent, bool Reachable, bool ModelListed, string Detail)
{
    public bool Ready => KeyPresent && Reachable && ModelListed;
}
