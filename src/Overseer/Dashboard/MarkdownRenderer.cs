using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Overseer.Dashboard;

/// <summary>
/// Agent text as Markdown, made safe to put in the page: raw HTML is escaped and links or
/// images that are not http(s), mailto or relative lose their target.
/// </summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseAutoLinks()
        .UseTaskLists()
        .UseEmphasisExtras()
        .Build();

    public string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, _pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }
        return document.ToHtml(_pipeline);
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return true;
        var trimmed = url.Trim();
        if (trimmed.StartsWith('#') || trimmed.StartsWith('/') || trimmed.StartsWith("./", StringComparison.Ordinal))
            return !trimmed.StartsWith("//", StringComparison.Ordinal);
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
            return uri.Scheme is "http" or "https" or "mailto";
        // A relative path with no scheme at all ("docs/readme.md").
        return !trimmed.Contains(':', StringComparison.Ordinal);
    }
}
