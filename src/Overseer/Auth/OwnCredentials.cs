namespace Overseer.Auth;

/// <summary>
/// Marks a public endpoint whose Authorization header is its own credential, not an API token
/// (the metrics scrape): the API token handler leaves it alone, so a scrape neither looks the
/// token up among API tokens nor logs a failed sign-in every fifteen seconds.
/// </summary>
public sealed class OwnCredentials
{
    public static OwnCredentials Instance { get; } = new();

    private OwnCredentials()
    {
    }
}
