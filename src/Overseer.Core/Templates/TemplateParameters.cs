using System.Text.Json;
using Json.Schema;

namespace Overseer.Core.Templates;

/// <summary>
/// A template's parameters: a JSON Schema for an object, compiled once, that checks what a run
/// gives and fills in the schema's defaults. Every problem names the parameter it is about.
/// </summary>
public sealed class TemplateParameters
{
    /// <summary>Bounds what one template may hold, so a schema cannot be made expensive to build or evaluate.</summary>
    public const int MaxSchemaBytes = 64 * 1024;

    private readonly JsonSchema _compiled;
    private readonly Dictionary<string, JsonElement> _properties;
    private readonly HashSet<string> _required;

    private TemplateParameters(JsonElement schema, JsonSchema compiled, Dictionary<string, JsonElement> properties, HashSet<string> required)
    {
        Schema = schema;
        _compiled = compiled;
        _properties = properties;
        _required = required;
    }

    /// <summary>The schema as given (or derived from the prompt).</summary>
    public JsonElement Schema { get; }

    /// <summary>The parameter names, in the schema's order.</summary>
    public IReadOnlyCollection<string> Names => _properties.Keys;

    /// <summary>
    /// Compiles a template's schema, or says what is wrong with it: it must be an object schema
    /// whose <c>properties</c> include every placeholder of the prompt.
    /// </summary>
    public static (TemplateParameters? Parameters, string? Problem) Create(JsonElement? schema, string prompt)
    {
        var placeholders = TemplatePrompt.Placeholders(prompt);
        var effective = schema is { ValueKind: not JsonValueKind.Null } given ? given : TemplatePrompt.DerivedSchema(placeholders);
        if (effective.ValueKind != JsonValueKind.Object)
            return (null, "parametersSchema must be a JSON Schema object.");
        if (effective.GetRawText().Length > MaxSchemaBytes)
            return (null, $"parametersSchema may be at most {MaxSchemaBytes / 1024} KB.");
        if (effective.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "object"))
            return (null, "parametersSchema must describe an object (\"type\": \"object\"): the parameters are named.");
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (effective.TryGetProperty("properties", out var props))
        {
            if (props.ValueKind != JsonValueKind.Object)
                return (null, "parametersSchema.properties must be an object.");
            foreach (var property in props.EnumerateObject())
                properties[property.Name] = property.Value;
        }
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (effective.TryGetProperty("required", out var req))
        {
            if (req.ValueKind != JsonValueKind.Array || req.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                return (null, "parametersSchema.required must be an array of parameter names.");
            foreach (var name in req.EnumerateArray())
                required.Add(name.GetString()!);
        }
        if (placeholders.FirstOrDefault(p => !properties.ContainsKey(p)) is { } missing)
            return (null, $"The prompt uses {{{{{missing}}}}}, which parametersSchema.properties does not describe.");
        JsonSchema compiled;
        try
        {
            // A registry of its own per template: schemas with the same $id must not meet, and
            // nothing is ever fetched to resolve a reference.
            compiled = JsonSchema.Build(effective, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonSchemaException or JsonException or ArgumentException or InvalidOperationException or RefResolutionException)
        {
            return (null, $"parametersSchema is not a valid JSON Schema: {ex.Message}");
        }
        return (new TemplateParameters(effective.Clone(), compiled, properties, required), null);
    }

    /// <summary>
    /// The values to put in the prompt: <paramref name="given"/> with the schema's defaults
    /// added, or the first problem, naming its parameter.
    /// </summary>
    public (IReadOnlyDictionary<string, JsonElement>? Values, ParameterProblem? Problem) Check(IReadOnlyDictionary<string, JsonElement>? given)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in given ?? new Dictionary<string, JsonElement>())
        {
            if (!_properties.ContainsKey(name))
                return (null, new ParameterProblem(name, $"'{name}' is not a parameter of this template; it has: {NameList()}."));
            values[name] = value;
        }
        foreach (var (name, property) in _properties)
        {
            if (!values.ContainsKey(name) && property.ValueKind == JsonValueKind.Object && property.TryGetProperty("default", out var fallback))
                values[name] = fallback;
        }
        if (_required.FirstOrDefault(r => !values.ContainsKey(r)) is { } missing)
            return (null, new ParameterProblem(missing, $"Parameter '{missing}' is required{Describe(missing)}."));

        var instance = JsonSerializer.SerializeToElement(values, TemplateJson.Default.DictionaryStringJsonElement);
        var results = _compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
            return (values, null);
        foreach (var detail in (IEnumerable<EvaluationResults>?)results.Details ?? [])
        {
            if (detail.IsValid || detail.Errors is not { Count: > 0 } errors)
                continue;
            var location = detail.InstanceLocation.ToString().TrimStart('/');
            var name = location.Split('/')[0].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            var message = string.Join("; ", errors.Values);
            return name.Length == 0
                ? (null, new ParameterProblem("", $"The parameters do not match the template's schema: {message}."))
                : (null, new ParameterProblem(name, $"Parameter '{name}': {message.TrimEnd('.')}."));
        }
        return (null, new ParameterProblem("", "The parameters do not match the template's schema."));
    }

    private string NameList() => _properties.Count == 0 ? "none" : string.Join(", ", _properties.Keys);

    private string Describe(string name) =>
        _properties.TryGetValue(name, out var property) && property.ValueKind == JsonValueKind.Object &&
        property.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String
            ? $" ({description.GetString()})"
            : "";
}

/// <summary>What is wrong with the parameters of a run; <paramref name="Name"/> is empty when it is about all of them.</summary>
public sealed record ParameterProblem(string Name, string Message);
