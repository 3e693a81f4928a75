using System.Globalization;

namespace Overseer.Core.Agents.Anthropic;

/// <summary>
/// Reads the wait a 429, 529 or 503 answer asks for (<c>retry-after-ms</c>, <c>retry-after</c>):
/// the client library's exceptions carry no headers. The call's own <see cref="Box"/> flows with
/// it (an async-local set before the call), so concurrent sessions never see each other's.
/// </summary>
internal sealed class RetryAfterCapture(TimeProvider time) : DelegatingHandler
{
    private static readonly AsyncLocal<Box?> Current = new();

    /// <summary>Where this call's wait is written; the caller reads it after a failure.</summary>
    public static Box Begin()
    {
        var box = new Box();
        Current.Value = box;
        return box;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode is 429 or 529 or 503 && Current.Value is { } box)
            box.RetryAfter = Read(response);
        return response;
    }

    private TimeSpan? Read(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            return TimeSpan.FromMilliseconds(Math.Min(millis, TimeSpan.FromDays(1).TotalMilliseconds));
        if (response.Headers.RetryAfter is { } after)
        {
            if (after.Delta is { } delta)
                return delta;
            if (after.Date is { } date)
                return date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero;
        }
        return null;
    }

    internal sealed class Box
    {
        public TimeSpan? RetryAfter { get; set; }
    }
}
