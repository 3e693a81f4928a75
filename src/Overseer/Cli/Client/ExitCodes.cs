namespace Overseer.Cli.Client;

/// <summary>The client commands' exit codes. Scripts switch on them, so they never change meaning (docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The API refused the request (400, 409...), or an attached session failed.</summary>
    public const int Error = 1;

    /// <summary>Bad arguments, or an id prefix that matches more than one item.</summary>
    public const int Usage = 2;

    /// <summary>Not logged in, or the server refused the token (401/403).</summary>
    public const int Auth = 3;

    public const int NotFound = 4;

    public const int Unreachable = 5;

    /// <summary>An attached session was cancelled.</summary>
    public const int Cancelled = 6;

    /// <summary>A second Ctrl-C interrupted the attached session (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
