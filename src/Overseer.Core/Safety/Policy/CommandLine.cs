namespace Overseer.Core.Safety.Policy;

/// <summary>Reads options and operands out of an argv the way most Unix tools do (short clusters, <c>--long=value</c>, <c>--</c>).</summary>
internal static class CommandLine
{
    /// <summary>True when <paramref name="flag"/> (<c>-f</c> or <c>--force</c>) is given; a short flag also counts inside a cluster such as <c>-rf</c>.</summary>
    public static bool HasFlag(IReadOnlyList<string> argv, string flag)
    {
        foreach (var arg in argv.Skip(1))
        {
            if (arg == "--")
                break;
            if (flag.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg == flag || arg.StartsWith(flag + "=", StringComparison.Ordinal))
                    return true;
            }
            else if (flag.Length == 2 && arg.Length >= 2 && arg[0] == '-' && arg[1] != '-' && arg.Contains(flag[1], StringComparison.Ordinal))
                return true;
            else if (arg == flag)
                return true;
        }
        return false;
    }

    public static bool HasAny(IReadOnlyList<string> argv, params string[] flags) => flags.Any(f => HasFlag(argv, f));

    /// <summary>The operands (non-options) from <paramref name="start"/> on; options in <paramref name="withValue"/> swallow the next word.</summary>
    public static List<string> Operands(IReadOnlyList<string> argv, int start = 1, params string[] withValue)
    {
        var operands = new List<string>();
        for (var i = start; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (arg == "--")
            {
                operands.AddRange(argv.Skip(i + 1));
                break;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                if (withValue.Contains(arg))
                    i++;
                continue;
            }
            operands.Add(arg);
        }
        return operands;
    }

    /// <summary>The value of an option given as <c>-o value</c>, <c>--output value</c> or <c>--output=value</c>.</summary>
    public static string? Value(IReadOnlyList<string> argv, params string[] names)
    {
        for (var i = 1; i < argv.Count; i++)
        {
            foreach (var name in names)
            {
                if (argv[i] == name && i + 1 < argv.Count)
                    return argv[i + 1];
                if (name.StartsWith("--", StringComparison.Ordinal) && argv[i].StartsWith(name + "=", StringComparison.Ordinal))
                    return argv[i][(name.Length + 1)..];
                if (name.Length == 2 && argv[i].Length > 2 && argv[i].StartsWith(name, StringComparison.Ordinal) && !argv[i].StartsWith("--", StringComparison.Ordinal))
                    return argv[i][2..];
            }
        }
        return null;
    }
}
