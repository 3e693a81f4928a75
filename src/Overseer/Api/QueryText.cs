using System.Text.Unicode;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>
/// Refuses a query string whose parameters do not decode to Unicode. ASP.NET Core leaves an
/// undecodable <c>%ED%A0%80</c> in the value as literal text, so without this check a garbage
/// id reaches a lookup instead of being named as the problem.
/// </summary>
public static class QueryText
{
    /// <summary>An endpoint filter for every route under <c>/api</c>.</summary>
    public static ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        FindInvalid(context.HttpContext.Request.QueryString.Value) is { } name
            ? ValueTask.FromResult<object?>(Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidText,
                $"Query parameter '{name}' is not valid UTF-8 once percent-decoded.", name))
            : next(context);

    /// <summary>The name (as sent) of the first parameter whose name or value is not valid UTF-8; null when all are.</summary>
    public static string? FindInvalid(string? query)
    {
        if (string.IsNullOrEmpty(query))
            return null;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (!IsUtf8(name))
                return name;
            if (equals >= 0 && !IsUtf8(pair.AsSpan(equals + 1)))
                return Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        return null;
    }

    private static bool IsUtf8(ReadOnlySpan<char> escaped)
    {
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c == '%' && i + 2 < escaped.Length && Uri.IsHexDigit(escaped[i + 1]) && Uri.IsHexDigit(escaped[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(escaped.Slice(i + 1, 2).ToString(), 16));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < escaped.Length && char.IsLowSurrogate(escaped[i + 1])))
            {
                return false;
            }
            else
            {
                var length = char.IsHighSurrogate(c) ? 2 : 1;
                bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(escaped.Slice(i, length).ToArray()));
                i += length - 1;
            }
        }
        return Utf8.IsValid(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }
}
