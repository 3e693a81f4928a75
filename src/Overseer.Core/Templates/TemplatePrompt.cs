using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Overseer.Core.Templates;

/// <summary>
/// A template's prompt: text with <c>{{name}}</c> placeholders (spaces inside the braces
/// allowed). Anything else in double braces is left as written.
/// </summary>
public static partial class TemplatePrompt
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_-]{0,63})\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The parameter names the prompt uses, in order of first use.</summary>
    public static IReadOnlyList<string> Placeholders(string prompt) =>
        Placeholder().Matches(prompt).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The prompt with each placeholder replaced: strings as they are, other JSON values as
    /// their JSON text. The values are checked before this; a name without a value stays as written.
    /// </summary>
    public static string Render(string prompt, IReadOnlyDictionary<string, JsonElement> values) =>
        Placeholder().Replace(prompt, m => values.TryGetValue(m.Groups[1].Value, out var value) ? Text(value) : m.Value);

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    /// <summary>A JSON Schema that makes each placeholder a required string: the schema of a template that gave none.</summary>
    public static JsonElement DerivedSchema(IReadOnlyList<string> placeholders)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "object");
            writer.WriteStartObject("properties");
            foreach (var name in placeholders)
            {
                writer.WriteStartObject(name);
                writer.WriteString("type", "string");
                writer.WriteNumber("minLength", 1);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteStartArray("required");
            foreach (var name in placeholders)
                writer.WriteStringValue(name);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray())).RootElement.Clone();
    }
}
