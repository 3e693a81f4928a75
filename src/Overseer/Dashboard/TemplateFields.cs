using System.Text.Json;
using Overseer.Contracts.Api;

namespace Overseer.Dashboard;

/// <summary>The inputs a template's run form has: one per parameter of its schema, of the kind its type calls for.</summary>
public static class TemplateFields
{
    public enum FieldKind { Text, Integer, Number, Boolean, Choice, Json }

    public sealed record Field(string Name, string Label, FieldKind Kind, bool Required, string? Description, string? Default, IReadOnlyList<string> Choices, bool Long);

    public static IReadOnlyList<Field> Of(TemplateDto template)
    {
        var schema = template.ParametersSchema;
        if (!schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            return [];
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var fields = new List<Field>();
        foreach (var property in properties.EnumerateObject())
        {
            var p = property.Value;
            var isObject = p.ValueKind == JsonValueKind.Object;
            var type = isObject && p.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var choices = isObject && p.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
                : [];
            var kind = choices.Count > 0 ? FieldKind.Choice : type switch
            {
                "integer" => FieldKind.Integer,
                "number" => FieldKind.Number,
                "boolean" => FieldKind.Boolean,
                "array" or "object" => FieldKind.Json,
                _ => FieldKind.Text,
            };
            var description = isObject && p.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            var fallback = isObject && p.TryGetProperty("default", out var def) ? (def.ValueKind == JsonValueKind.String ? def.GetString() : def.GetRawText()) : null;
            var title = isObject && p.TryGetProperty("title", out var ti) && ti.ValueKind == JsonValueKind.String ? ti.GetString()! : property.Name;
            var maxLength = isObject && p.TryGetProperty("maxLength", out var ml) && ml.TryGetInt32(out var max) ? max : 0;
            fields.Add(new Field(property.Name, title, kind, required.Contains(property.Name), description, fallback, choices, kind == FieldKind.Text && maxLength > 200));
        }
        return fields;
    }
}
