using System.Text;
using System.Text.Json;
using Json.Pointer;

namespace Overseer.Triggers;

/// <summary>
/// Where a rule takes a template parameter's value from: a path into the webhook's JSON
/// (<c>$.issue.title</c>, <c>$['odd key']</c>, <c>$.labels[0].name</c>, written as JSONPath's
/// simple member and index steps) or a JSON Pointer (<c>/issue/title</c>), both evaluated with
/// JsonPointer.Net; or <c>event.NAME</c>, a field every provider fills the same way.
/// </summary>
internal sealed class PayloadExpression
{
    /// <summary>The <c>event.*</c> fields, the same whatever the provider.</summary>
    public static readonly IReadOnlyList<string> EventFields = ["title", "body", "url", "branch", "number", "author", "repository", "label", "comment", "command"];

    private readonly JsonPointer? _pointer;
    private readonly string? _field;

    private PayloadExpression(string text, JsonPointer? pointer, string? field)
    {
        Text = text;
        _pointer = pointer;
        _field = field;
    }

    public string Text { get; }

    public static (PayloadExpression? Expression, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, "is empty: give a path such as $.issue.title, a JSON Pointer such as /issue/title, or event.title.");
        text = text.Trim();
        if (text.StartsWith("event.", StringComparison.Ordinal))
        {
            var field = text["event.".Length..];
            return EventFields.Contains(field)
                ? (new PayloadExpression(text, null, field), null)
                : (null, $"'{text}' is not an event field; they are: {string.Join(", ", EventFields.Select(f => "event." + f))}.");
        }
        string? pointerText;
        if (text.StartsWith('/'))
        {
            pointerText = text;
        }
        else if (text.StartsWith('$'))
        {
            pointerText = ToPointer(text, out var pathProblem);
            if (pointerText is null)
                return (null, pathProblem);
        }
        else
        {
            return (null, $"'{text}' is not a path ($.issue.title), a JSON Pointer (/issue/title) or an event field (event.title).");
        }
        return JsonPointer.TryParse(pointerText, out var pointer)
            ? (new PayloadExpression(text, pointer, null), null)
            : (null, $"'{text}' is not a valid JSON Pointer.");
    }

    /// <summary>The value at this expression in the delivery, or null when it has none there.</summary>
    public JsonElement? Evaluate(HookEvent hook, string? label, string? command)
    {
        if (_pointer is { } pointer)
            return pointer.Evaluate(hook.Payload) is { ValueKind: not JsonValueKind.Undefined } found ? found : null;
        return _field switch
        {
            "title" => AsJson(hook.Title),
            "body" => AsJson(hook.Body),
            "url" => AsJson(hook.Url),
            "branch" => AsJson(hook.Branch),
            "number" => hook.Number is { } n ? JsonSerializer.SerializeToElement(n, TriggerJson.Default.Int64) : null,
            "author" => AsJson(hook.Author),
            "repository" => AsJson(hook.Repository),
            "label" => AsJson(label),
            "comment" => AsJson(hook.Comment),
            _ => AsJson(command),
        };
    }

    private static JsonElement? AsJson(string? value) => value is null ? null : JsonSerializer.SerializeToElement(value, TriggerJson.Default.String);

    /// <summary><c>$.a.b[0]['c d']</c> → <c>/a/b/0/c d</c> (with ~ and / escaped), or null and why.</summary>
    private static string? ToPointer(string path, out string? problem)
    {
        problem = null;
        var pointer = new StringBuilder();
        var i = 1;
        while (i < path.Length)
        {
            string segment;
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segment = path[(i + 1)..end];
                if (segment.Length == 0)
                    return Fail($"'{path}' has an empty step at {i + 1}.", out problem);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] is '\'' or '"')
            {
                var quote = path[i + 1];
                var close = path.IndexOf(quote, i + 2);
                if (close < 0 || close + 1 >= path.Length || path[close + 1] != ']')
                    return Fail($"'{path}' has an unclosed ['…'] at {i + 1}.", out problem);
                segment = path[(i + 2)..close];
                i = close + 2;
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i + 1);
                if (close < 0 || !int.TryParse(path.AsSpan(i + 1, close - i - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                    return Fail($"'{path}' has an index that is not a whole number at {i + 1}: write [0], or ['name'] for a key.", out problem);
                segment = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                i = close + 1;
            }
            else
            {
                return Fail($"'{path}' is not a path: after $ come .name, ['name'] or [index] steps.", out problem);
            }
            pointer.Append('/').Append(segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        }
        return pointer.ToString();
    }

    private static string? Fail(string message, out string? problem)
    {
        problem = message;
        return null;
    }
}
