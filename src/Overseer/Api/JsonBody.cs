using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;
using Overseer.Contracts.Api;
using Overseer.Contracts.Text;

namespace Overseer.Api;

/// <summary>
/// Reads a JSON request body, turning every way it can be wrong into a 4xx that names the
/// problem: 415 for a body that is not declared JSON, 400 with the JSON path of a malformed,
/// mistyped or non-Unicode field, 413 past the size limit.
/// </summary>
public static class JsonBody
{
    /// <summary>
    /// The body bound to <typeparamref name="T"/>, or the problem that says why it cannot be.
    /// With <paramref name="allowEmpty"/>, an empty body is (null, null): the request's fields are all optional.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, bool allowEmpty = false)
        where T : class
    {
        if (request.ContentType is { } type && !IsJson(type))
            return (null, Problems.Result(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                $"The body must be JSON: Content-Type application/json or application/*+json (charset utf-8, if any), not '{type}'."));
        try
        {
            // Buffered (the server caps its size) so the text can be checked before it is bound:
            // an unpaired surrogate bound into a JsonElement throws only when something reads it.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (allowEmpty && json.Trim(" \t\r\n"u8).IsEmpty)
                return (null, null);
            if (JsonTextCheck.Find(json) is { } invalid)
                return (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidText, invalid.Detail, invalid.Field));
            var value = JsonSerializer.Deserialize(json, typeInfo);
            return value is null
                ? (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            // A field the request does not have (where it refuses unknown ones) is named as such.
            if (UnknownField(ex.Message) is { } unknown)
                return (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Field '{unknown}' is not one this request takes.", unknown));
            // A value of the wrong type is the field's fault; broken syntax is the body's.
            var field = FieldName(ex.Path);
            if (field is not null && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
                return (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Field '{field}' has the wrong type: {JsonMessages.FirstSentence(ex.Message)}", field));
            var near = field is null ? "" : $" (near '{field}')";
            return (null, Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, $"The body is not valid JSON{near}: {JsonMessages.FirstSentence(ex.Message)}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Result(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, "The request body is larger than the server accepts."));
        }
    }

    /// <summary><c>application/json</c> or <c>application/*+json</c>, with no charset or utf-8.</summary>
    public static bool IsJson(string contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } name)
            return false;
        if (!name.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && !(name.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                 && name.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
                 && name.Length > "application/+json".Length))
            return false;
        var charset = media.Charset.Value;
        return charset is null || charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    private const string UnmappedPrefix = "The JSON property '";

    /// <summary>The property System.Text.Json could not map (a type marked to refuse unknown members), or null.</summary>
    private static string? UnknownField(string message)
    {
        if (!message.StartsWith(UnmappedPrefix, StringComparison.Ordinal))
            return null;
        var end = message.IndexOf("' could not be mapped", UnmappedPrefix.Length, StringComparison.Ordinal);
        return end < 0 ? null : message[UnmappedPrefix.Length..end];
    }

    /// <summary><c>$.script[2].say</c> → <c>script[2].say</c>; the root is no field.</summary>
    private static string? FieldName(string? path) =>
        path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
