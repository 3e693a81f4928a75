namespace Overseer.Core.Agents.Router;

/// <summary>
/// A rule of the router's intent classifier: it picks <see cref="Target"/> when every condition
/// that is set holds. Conditions: a keyword (whole word, any case), a regular expression, the
/// message's length, whether the message asks for work with tools (a change, a command, a file),
/// whether it carries pasted material (a fenced block or an <c>@file</c>).
/// </summary>
public sealed class RouteRule
{
    public string? Target { get; set; }

    public List<string> Keywords { get; set; } = [];

    public string? Pattern { get; set; }

    /// <summary>At least this many characters.</summary>
    public int MinLength { get; set; }

    /// <summary>At most this many characters; 0 is no limit.</summary>
    public int MaxLength { get; set; }

    public bool? NeedsTools { get; set; }

    public bool? Attachments { get; set; }
}
