namespace Overseer.Core.Safety.Policy;

/// <summary>
/// A shell command line taken apart: every simple command from every nesting level (pipelines, lists,
/// subshells, groups, <c>$(...)</c>, backticks, process substitution, function bodies) in one flat list.
/// Where a word holds an expansion whose value is not known before it runs, it contains <see cref="Unknown"/>.
/// </summary>
public sealed record BashParse(
    IReadOnlyList<SimpleCommand> Commands,
    IReadOnlyList<FunctionDefinition> Functions,
    bool Incomplete,
    string? Error)
{
    /// <summary>Stands in for the value of an expansion that is only known at run time (<c>$X</c>, <c>$(cmd)</c>).</summary>
    public const char Unknown = '\uFFFD';

    public static bool IsDynamic(string word) => word.Contains(Unknown, StringComparison.Ordinal);
}

/// <summary>One command: <c>FOO=1 rm -rf x 2&gt;/dev/null</c> is env <c>FOO=1</c>, argv <c>rm -rf x</c>, redirect <c>2&gt; /dev/null</c>.</summary>
public sealed record SimpleCommand(IReadOnlyList<string> Argv, IReadOnlyList<string> EnvAssignments, IReadOnlyList<Redirect> Redirects)
{
    public override string ToString() => string.Join(' ', Argv.Select(a => a.Replace(BashParse.Unknown.ToString(), "$?", StringComparison.Ordinal)));
}

/// <summary>A redirection: <see cref="Op"/> without its file-descriptor number (<c>&gt;</c>, <c>&gt;&gt;</c>, <c>&lt;</c>, <c>&amp;&gt;</c>, <c>&gt;&amp;</c>, <c>&lt;&lt;</c>...).</summary>
public sealed record Redirect(string Op, string Target);

/// <summary>A shell function definition; a function that runs itself concurrently (<c>:(){ :|:&amp; };:</c>) is a fork bomb.</summary>
public sealed record FunctionDefinition(string Name, int SelfCalls, bool Concurrent);
