using System.Globalization;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>Query-string values, validated with errors that name the parameter.</summary>
public static class QueryParams
{
    public static bool TryInt(HttpRequest request, string name, int fallback, int min, int max, out int value, out IResult? problem)
    {
        problem = null;
        var raw = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(raw))
        {
            value = fallback;
            return true;
        }
        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        problem = Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter '{name}' must be a whole number from {min} to {max}.", name);
        return false;
    }

    /// <summary>The <c>status</c> filter (one of <paramref name="statuses"/>, or none) and the page <c>limit</c>.</summary>
    private static bool TryStatusAndLimit(HttpRequest request, IReadOnlyCollection<string> statuses, out string? status, out int limit, out IResult? problem)
    {
        status = request.Query["status"].FirstOrDefault();
        limit = 0;
        if (status is not null && !statuses.Contains(status))
        {
            problem = Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter 'status' must be one of {string.Join(", ", statuses)}.", "status");
            return false;
        }
        return TryInt(request, "limit", ListLimits.DefaultPageSize, 1, ListLimits.MaxPageSize, out limit, out problem);
    }

    /// <summary>The filters every list of pending items takes: status, sessionId, cursor and limit.</summary>
    public static bool TryItemQuery(HttpRequest request, IReadOnlyCollection<string> statuses, out Storage.ItemQuery query, out IResult? problem)
    {
        query = new Storage.ItemQuery();
        if (!TryStatusAndLimit(request, statuses, out var status, out var limit, out problem))
            return false;
        query = new Storage.ItemQuery(status, request.Query["sessionId"].FirstOrDefault(), request.Query["cursor"].FirstOrDefault(), limit);
        return true;
    }

    public static bool TryLong(HttpRequest request, string name, out long value, out IResult? problem)
    {
        problem = null;
        value = 0;
        var raw = request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(raw) || (long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0))
            return true;
        problem = Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter '{name}' must be a non-negative whole number.", name);
        return false;
    }
}
