namespace Overseer.Dashboard;

/// <summary>
/// The attribute that makes a fragment an htmx out-of-band swap: the live stream sends a
/// component's root element with it so htmx replaces the element with the same id in place.
/// </summary>
public static class OutOfBand
{
    private static readonly IReadOnlyDictionary<string, object> Swap = new Dictionary<string, object> { ["hx-swap-oob"] = "true" };

    public static IReadOnlyDictionary<string, object>? When(bool swap) => swap ? Swap : null;
}
