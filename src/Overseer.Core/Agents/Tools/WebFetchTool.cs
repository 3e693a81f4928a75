using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// Claude Code's <c>WebFetch</c>: the page at <c>url</c> as plain text, for the model to answer
/// <c>prompt</c> from. Only where the project's sandbox has a network; at most the size and time
/// limits; http and https only. Claude Code has a small model read the page first; here the model
/// reads the page's text itself.
/// </summary>
internal sealed partial class WebFetchTool(HttpClient http) : IAgentTool
{
    public ToolDefinition Definition { get; } = new("WebFetch",
        "Fetches a URL (http or https) and returns its content as text, with the prompt to answer from it. " +
        "Pages are cut at 30000 characters. Not available when the project's sandbox has no network.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "url":{"type":"string","format":"uri","description":"The URL to fetch content from"},
          "prompt":{"type":"string","description":"The prompt to run on the fetched content"}},
         "required":["url","prompt"],"additionalProperties":false}
        """));

    public async Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var raw = ToolInput.RequiredString(input, "url");
        var prompt = ToolInput.RequiredString(input, "prompt");
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return ToolOutcome.Error($"Invalid URL: {raw} (http and https only).");
        if (!context.Network)
            return ToolOutcome.Error("WebFetch is not available: this project's sandbox has no network (Sandbox:Network is None).");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(context.Limits.FetchTimeout);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            var (bytes, cut) = await ReadBoundedAsync(await response.Content.ReadAsStreamAsync(deadline.Token), context.Limits.MaxFetchBytes, deadline.Token);
            if (!response.IsSuccessStatusCode)
                return ToolOutcome.Error($"Request failed with status code {(int)response.StatusCode} ({response.ReasonPhrase}) for {url}.");
            var text = Encoding.UTF8.GetString(bytes);
            if (type.Contains("html", StringComparison.OrdinalIgnoreCase))
                text = HtmlToText(text);
            else if (!type.StartsWith("text/", StringComparison.Ordinal) && !type.Contains("json", StringComparison.Ordinal) && !type.Contains("xml", StringComparison.Ordinal) && type.Length > 0)
                return ToolOutcome.Error($"{url} is {type}, not text; WebFetch reads text and HTML only.");
            var max = context.Limits.MaxOutputChars;
            if (text.Length > max)
            {
                text = text[..max];
                cut = true;
            }
            return new ToolOutcome($"Content of {url}{(cut ? " (cut to the size limit)" : "")}:\n\n{text}\n\n---\nAnswer from the content above: {prompt}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ToolOutcome.Error($"Fetching {url} took longer than {context.Limits.FetchTimeout.TotalSeconds:F0} s.");
        }
        catch (HttpRequestException ex)
        {
            return ToolOutcome.Error($"Fetching {url} failed: {ex.Message}");
        }
    }

    private static async Task<(byte[] Bytes, bool Cut)> ReadBoundedAsync(Stream stream, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = (int)Math.Min(read, max - buffer.Length);
            buffer.Write(chunk, 0, room);
            if (buffer.Length >= max)
                return (buffer.ToArray(), true);
        }
        return (buffer.ToArray(), false);
    }

    /// <summary>The readable text of an HTML page: no scripts, styles or tags, entities decoded, blank runs folded.</summary>
    internal static string HtmlToText(string html)
    {
        var text = Invisible().Replace(html, " ");
        text = Breaks().Replace(text, "\n");
        text = Tags().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = Spaces().Replace(text, " ");
        return BlankLines().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline, 1000)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"<(br|/p|/div|/h[1-6]|/li|/tr|/pre|/section|/article)\b[^>]*>", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex Breaks();

    [GeneratedRegex(@"<[^>]+>", RegexOptions.None, 1000)]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\r\f\v]+", RegexOptions.None, 1000)]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n\s*\n+", RegexOptions.None, 1000)]
    private static partial Regex BlankLines();
}
