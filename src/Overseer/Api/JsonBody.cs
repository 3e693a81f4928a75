using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>
/// Reads a JSON request body, turning every way it can be wrong into a 4xx that names the
/// problem: 400 with the JSON path of a malformed or mistyped field, 413 past the size limit.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Result(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidJson, $"The body must be JSON (Content-Type: application/json), not '{type}'."));
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, request.HttpContext.RequestAborted);
            return value is null
                ? (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // A value of the wrong type is the field's fault; broken syntax is the body's.
            var field = FieldName(ex.Path);
            if (field is not null && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
                return (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Field '{field}' has the wrong type: {FirstSentence(ex.Message)}", field));
            var near = field is null ? "" : $" (near '{field}')";
            return (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, $"The body is not valid JSON{near}: {FirstSentence(ex.Message)}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Result(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, "The request body is larger than the server accepts."));
        }
    }

    /// <summary><c>$.script[2].say</c> → <c>script[2].say</c>; the root is no field.</summary>
    private static string? FieldName(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
