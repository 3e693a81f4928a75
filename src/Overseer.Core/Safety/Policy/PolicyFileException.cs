namespace Overseer.Core.Safety.Policy;

/// <summary>A policy file that cannot be used; the message names the file, line and field so an operator can fix it.</summary>
public sealed class PolicyFileException : Exception
{
    public PolicyFileException(string file, int line, string field, string problem, Exception? inner = null)
        : base(Format(file, line, field, problem), inner)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public PolicyFileException()
        : this("", 0, "", "invalid policy file")
    {
    }

    public PolicyFileException(string message)
        : this("", 0, "", message)
    {
    }

    public PolicyFileException(string message, Exception inner)
        : this("", 0, "", message, inner)
    {
    }

    public string File { get; }

    /// <summary>1-based line number; 0 when the problem is not tied to a line (a missing file).</summary>
    public int Line { get; }

    /// <summary>The field path such as <c>rules[2].tier</c>; empty when the whole file is at fault.</summary>
    public string Field { get; }

    public string Problem { get; }

    private static string Format(string file, int line, string field, string problem)
    {
        var name = Path.GetFileName(file);
        var where = line > 0 ? $"{name}:{line}" : name;
        return field.Length > 0 ? $"{where}: {field}: {problem}" : $"{where}: {problem}";
    }
}
