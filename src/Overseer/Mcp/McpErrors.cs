using ModelContextProtocol;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;

namespace Overseer.Mcp;

/// <summary>
/// A tool's refusal as the client sees it: the REST API's stable code, then what is wrong in words
/// ("INVALID_FIELD: limit must be between 1 and 200."), so a model can correct its call.
/// </summary>
internal static class McpErrors
{
    public static McpException Of(string code, string message) => new($"{code}: {message}");

    public static McpException Invalid(string field, string message) => Of(ErrorCodes.InvalidField, $"{field} {message}");

    public static McpException From(CommandResult result) => Of(result.Code ?? ErrorCodes.InvalidState, result.Message ?? "The command was refused.");

    /// <summary>A required id: present, short and printable.</summary>
    public static string Id(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw Invalid(field, "is required.");
        if (value.Length > 200 || value.Any(char.IsControl))
            throw Invalid(field, "is not an id (ids are short, printable strings such as the ones list_sessions returns).");
        return value.Trim();
    }

    public static int Range(int? value, string field, int fallback, int min, int max) => value switch
    {
        null => fallback,
        var v when v < min || v > max => throw Invalid(field, $"must be between {min} and {max}; got {v}."),
        var v => v.Value,
    };
}
