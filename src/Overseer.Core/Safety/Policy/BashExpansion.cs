namespace Overseer.Core.Safety.Policy;

/// <summary>The few expansions known before a command runs: <c>~</c> and <c>$HOME</c> (home), <c>$PWD</c> (the project).</summary>
public sealed record BashExpansion(string Home, string Project)
{
    public static BashExpansion Current { get; } = new(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Environment.CurrentDirectory);

    /// <summary>The value of <c>$name</c>/<c>${name}</c>, or null when only the running shell knows it.</summary>
    public string? Lookup(string name) => name switch
    {
        "HOME" => Home,
        "PWD" => Project,
        _ => null,
    };
}
