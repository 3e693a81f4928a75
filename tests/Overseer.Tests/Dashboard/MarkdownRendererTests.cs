using Overseer.Dashboard;

namespace Overseer.Tests.Dashboard;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _markdown = new();

    [Fact]
    public void ToHtml_RawHtmlInAgentText_IsEscapedNotRendered()
    {
        var html = _markdown.ToHtml("Hello <script>alert(1)</script> and <img src=x onerror=alert(2)>");

        html.ShouldNotContain("<script");
        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;script&gt;");
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("![img](javascript:alert(1))")]
    [InlineData("[click](//evil.example/x)")]
    [InlineData("<javascript:alert(1)>")]
    public void ToHtml_UnsafeLinkTargets_AreDropped(string markdown)
    {
        var html = _markdown.ToHtml(markdown);

        html.ShouldNotContain("javascript:", Case.Insensitive);
        html.ShouldNotContain("data:");
        html.ShouldNotContain("//evil.example");
    }

    [Fact]
    public void ToHtml_OrdinaryMarkdown_KeepsLinksCodeAndTables()
    {
        var html = _markdown.ToHtml("See [docs](https://example.com/docs) and `src/`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode <here>\n```");

        html.ShouldContain("<a href=\"https://example.com/docs\">docs</a>");
        html.ShouldContain("<code>src/</code>");
        html.ShouldContain("<table>");
        html.ShouldContain("code &lt;here&gt;");
    }
}
