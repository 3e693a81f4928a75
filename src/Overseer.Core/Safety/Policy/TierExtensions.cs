namespace Overseer.Core.Safety.Policy;

/// <summary>The wire names of <see cref="Tier"/> ("GREEN".."BLACK"), used by the API and policy files.</summary>
public static class TierExtensions
{
    public const string WireNames = "GREEN, YELLOW, ORANGE, RED, BLACK";

    public static string ToWire(this Tier tier) => tier switch
    {
        Tier.Green => "GREEN",
        Tier.Yellow => "YELLOW",
        Tier.Orange => "ORANGE",
        Tier.Red => "RED",
        Tier.Black => "BLACK",
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    /// <summary>Parses a wire name, case-insensitively (policy files are written by hand).</summary>
    public static bool TryParse(string? text, out Tier tier)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "GREEN": tier = Tier.Green; return true;
            case "YELLOW": tier = Tier.Yellow; return true;
            case "ORANGE": tier = Tier.Orange; return true;
            case "RED": tier = Tier.Red; return true;
            case "BLACK": tier = Tier.Black; return true;
            default: tier = Tier.Green; return false;
        }
    }
}
