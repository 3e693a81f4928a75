using System.Security.Cryptography;
using System.Text;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>
/// <c>Idempotency-Key</c> on a create (a double click, a retried request): requests of one caller
/// with one key run one at a time; the first that succeeds is kept for a day, and any later one
/// gets its response again, or 409 <c>IDEMPOTENCY_KEY_REUSED</c> when it asks for something else.
/// </summary>
internal sealed class IdempotentRequests(IIdempotencyStore store, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private const int MaxKeyLength = 255;

    // Requests with the same key wait for each other; different keys that share a stripe only
    // wait a moment longer.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>What a create made: the new resource's id, location and JSON body; a null id is a failure, answered with <paramref name="Failure"/> and not kept.</summary>
    public sealed record Created(string? Id, string? Location, string? Body, IResult? Failure);

    /// <summary>The request's key; null when none was sent. A key that is not 1–255 visible ASCII characters is a 400.</summary>
    public static bool TryReadKey(HttpRequest request, out string? key, out IResult? problem)
    {
        key = null;
        problem = null;
        if (!request.Headers.TryGetValue(Header, out var values))
            return true;
        var value = values.ToString();
        if (values.Count != 1 || value.Length is 0 or > MaxKeyLength || !value.All(c => c is > ' ' and <= '~'))
        {
            problem = Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField,
                $"Header {Header} must be one value of 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good key).", Header);
            return false;
        }
        key = value;
        return true;
    }

    /// <summary>A SHA-256 of the request as the server understood it, so formatting alone does not make a request different.</summary>
    public static string Fingerprint(byte[] canonicalJson) => Convert.ToHexStringLower(SHA256.HashData(canonicalJson));

    public async Task<IResult> RunAsync(HttpContext context, string key, string fingerprint, Func<Task<Created>> create)
    {
        var owner = context.User.FindFirst("token_id")?.Value ?? context.User.Name();
        var stripe = _stripes[(uint)HashCode.Combine(owner, key) % (uint)_stripes.Length];
        await stripe.WaitAsync(context.RequestAborted);
        try
        {
            var now = time.GetUtcNow();
            if (await store.FindAsync(owner, key, now - Window, context.RequestAborted) is { } earlier)
            {
                if (earlier.Fingerprint != fingerprint)
                    return Problems.Result(StatusCodes.Status409Conflict, ErrorCodes.IdempotencyKeyReused,
                        $"{Header} '{key}' was used for a different request in the last 24 hours (it created {earlier.ResourceId}). Send a new key with a new request.", Header);
                context.Response.Headers[ReplayedHeader] = "true";
                return Json(earlier.Response);
            }
            var created = await create();
            if (created.Id is null)
                return created.Failure!;
            // Kept even if the client has gone: its retry must find this, not make another.
            await store.AddAsync(new IdempotencyRecord(owner, key, fingerprint, created.Id, created.Body!, now), now - Window, CancellationToken.None);
            context.Response.Headers.Location = created.Location;
            return Json(created.Body!);
        }
        finally
        {
            stripe.Release();
        }
    }

    private static IResult Json(string body) => TypedResults.Text(body, "application/json", Encoding.UTF8, StatusCodes.Status201Created);
}
