using System.Globalization;
using System.Text.Json;

namespace Overseer.Core.Agents.Tools;

/// <summary>Reads a tool's JSON input; a missing or mistyped field is a <see cref="ToolInputException"/> naming it.</summary>
internal static class ToolInput
{
    public static string RequiredString(JsonElement input, string name) =>
        OptionalString(input, name) ?? throw new ToolInputException($"InputValidationError: the required parameter `{name}` is missing.");

    public static string? OptionalString(JsonElement input, string name)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ToolInputException($"InputValidationError: the parameter `{name}` must be a string.");
    }

    public static long? OptionalInteger(JsonElement input, string name)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            return number;
        // Models sometimes send numbers as strings.
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
            return number;
        throw new ToolInputException($"InputValidationError: the parameter `{name}` must be a whole number.");
    }

    public static bool OptionalBool(JsonElement input, string name)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => throw new ToolInputException($"InputValidationError: the parameter `{name}` must be true or false."),
        };
    }

    public static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
