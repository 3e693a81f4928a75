namespace Overseer.Cli.Client;

/// <summary>
/// Terminal styles, or none: colour only when stdout is a terminal, <c>NO_COLOR</c> is unset
/// (https://no-color.org) and <c>TERM</c> is not <c>dumb</c>.
/// </summary>
public sealed class Ansi(bool enabled)
{
    public bool Enabled { get; } = enabled;

    public static Ansi ForStdout() => new(!Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb");

    public string Bold(string text) => Wrap("1", text);
    public string Dim(string text) => Wrap("2", text);
    public string Red(string text) => Wrap("31", text);
    public string Green(string text) => Wrap("32", text);
    public string Yellow(string text) => Wrap("33", text);
    public string Blue(string text) => Wrap("34", text);
    public string Magenta(string text) => Wrap("35", text);
    public string Cyan(string text) => Wrap("36", text);

    /// <summary>Clears the current line (the spinner's) before something else is written there.</summary>
    public string ClearLine => Enabled ? "\r\u001b[2K" : "";

    private string Wrap(string code, string text) => Enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
