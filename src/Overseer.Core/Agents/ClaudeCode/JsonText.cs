using System.Text.Json;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// Finds text in a parsed message that cannot be read as a string. The JSON reader accepts
/// invalid UTF-8 inside a string and escaped lone surrogates (<c>\ud800</c>); only reading the
/// string throws, so a message is checked once, up front, instead of at every later use.
/// </summary>
internal static class JsonText
{
    /// <summary>What is unreadable (and where), or null when every string and name decodes.</summary>
    public static string? FindUnreadable(JsonElement element, string path = "$")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : $"the string at {path} is not valid Unicode (invalid UTF-8 or a lone surrogate)";
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnreadable(item, $"{path}[{index++}]") is { } problem)
                        return problem;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return $"a property name in {path} is not valid Unicode (invalid UTF-8 or a lone surrogate)";
                    }
                    if (FindUnreadable(property.Value, path + "." + name) is { } problem)
                        return problem;
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
