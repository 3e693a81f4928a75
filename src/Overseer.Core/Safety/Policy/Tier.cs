namespace Overseer.Core.Safety.Policy;

/// <summary>How dangerous a tool call is, from harmless (Green) to never allowed (Black). Ordered: a larger value is worse.</summary>
public enum Tier
{
    Green,
    Yellow,
    Orange,
    Red,
    Black,
}
