using System.Security.Claims;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// Creating, listing and revoking API tokens, for the API and the dashboard alike. A token
/// belongs to the user who creates it and carries a role ceiling no higher than the role they
/// act with; only its hash is kept. Anyone signed in manages their own tokens; owners see and
/// revoke everyone's. Revoking ends the token's open streams and sockets at once.
/// </summary>
public sealed class TokenManager(IApiTokenStore tokens, IUserStore users, IAuditLog audit, AccessRevocations revocations, TimeProvider time)
{
    public const int MaxNameLength = 64;
    public const int MaxExpiryDays = 3650;

    public async Task<(CreatedTokenDto? Created, TokenProblem? Problem)> CreateAsync(ClaimsPrincipal caller, CreateTokenRequest request, CancellationToken cancellationToken)
    {
        if (caller.UserId() is not { } userId || !Roles.IsKnown(caller.Role()))
            return (null, TokenProblem.Forbidden("Only a signed-in user can create tokens."));
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            return (null, TokenProblem.Invalid("name is required: say what the token is for.", "name"));
        if (name.Length > MaxNameLength)
            return (null, TokenProblem.Invalid($"name may be at most {MaxNameLength} characters.", "name"));
        if (name.Any(char.IsControl))
            return (null, TokenProblem.Invalid("name may not contain control characters (line breaks, tabs, escapes).", "name"));
        var role = request.Role ?? caller.Role();
        if (!Roles.IsKnown(role))
            return (null, TokenProblem.Invalid($"role must be one of {string.Join(", ", Roles.All)}.", "role"));
        if (Roles.Rank(role) > Roles.Rank(caller.Role()))
            return (null, TokenProblem.Forbidden($"A token's role may not be above the role you act with ('{caller.Role()}'); '{role}' is.", "role"));
        var now = time.GetUtcNow();
        if (request.ExpiresAt is not null && request.ExpiresInDays is not null)
            return (null, TokenProblem.Invalid("Give expiresAt or expiresInDays, not both.", "expiresAt"));
        if (request.ExpiresInDays is < 1 or > MaxExpiryDays)
            return (null, TokenProblem.Invalid($"expiresInDays must be from 1 to {MaxExpiryDays}.", "expiresInDays"));
        var expiresAt = request.ExpiresAt ?? (request.ExpiresInDays is { } days ? now.AddDays(days) : null);
        if (request.ExpiresAt is { } at && (at <= now || at > now.AddDays(MaxExpiryDays)))
            return (null, TokenProblem.Invalid($"expiresAt must be in the future and at most {MaxExpiryDays} days away.", "expiresAt"));

        var secret = ApiTokens.Generate();
        var record = new ApiTokenRecord(Core.Sessions.Ids.New("t"), userId, name, role, ApiTokens.Hash(secret), now, expiresAt);
        await tokens.AddAsync(record, cancellationToken);
        await audit.RecordAsync(new AuditRecord(now, "token.created", caller.Name(), userId, caller.TokenId(), record.Id,
            $"{name} ({role}{(expiresAt is { } e ? ", expires " + e.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "")})"), cancellationToken);
        return (new CreatedTokenDto(secret, ToDto(record, caller.Name())), null);
    }

    /// <summary>The caller's own tokens, or with <paramref name="all"/> (owners only) everyone's.</summary>
    public async Task<(IReadOnlyList<TokenDto>? Tokens, TokenProblem? Problem)> ListAsync(ClaimsPrincipal caller, bool all, CancellationToken cancellationToken)
    {
        if (caller.UserId() is not { } userId)
            return (null, TokenProblem.Forbidden("Only a signed-in user has tokens."));
        if (all && !Roles.AtLeast(caller.Role(), Roles.Owner))
            return (null, TokenProblem.Forbidden("Only owners may list everyone's tokens (all=true).", "all"));
        var names = all ? (await users.ListAsync(cancellationToken)).ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal) : null;
        var list = await tokens.ListAsync(all ? null : userId, cancellationToken);
        return (list.Select(t => ToDto(t, names is null ? caller.Name() : names.GetValueOrDefault(t.UserId))).ToList(), null);
    }

    /// <summary>One token, when the caller may see it (their own, or any for owners).</summary>
    public async Task<TokenDto?> GetAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var record = await tokens.FindAsync(id, cancellationToken);
        if (record is null || !MayManage(caller, record))
            return null;
        var owner = record.UserId == caller.UserId() ? caller.Name() : (await users.FindAsync(record.UserId, cancellationToken))?.Name;
        return ToDto(record, owner);
    }

    /// <summary>Revokes a token (the caller's own, or any for owners); null when done, already revoked included.</summary>
    public async Task<TokenProblem?> RevokeAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var record = await tokens.FindAsync(id, cancellationToken);
        // Someone else's token is "not found" to a non-owner: its existence is not theirs to learn.
        if (record is null || !MayManage(caller, record))
            return TokenProblem.NotFound(id);
        var now = time.GetUtcNow();
        if (await tokens.RevokeAsync(id, now, cancellationToken))
        {
            await audit.RecordAsync(new AuditRecord(now, "token.revoked", caller.Name(), caller.UserId(), caller.TokenId(), id, record.Name), cancellationToken);
        }
        revocations.TokenRevoked(id);
        return null;
    }

    private static bool MayManage(ClaimsPrincipal caller, ApiTokenRecord record) =>
        record.UserId == caller.UserId() || Roles.AtLeast(caller.Role(), Roles.Owner);

    private static TokenDto ToDto(ApiTokenRecord t, string? userName) =>
        new(t.Id, t.Name, t.Role, t.UserId, userName, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt);
}

/// <summary>Why a token request was refused, as the API answers it.</summary>
public sealed record TokenProblem(int Status, string Code, string Message, string? Field = null)
{
    public static TokenProblem Invalid(string message, string field) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, message, field);

    public static TokenProblem Forbidden(string message, string? field = null) => new(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, message, field);

    public static TokenProblem NotFound(string id) => new(StatusCodes.Status404NotFound, ErrorCodes.TokenNotFound, $"No token of yours has id '{id}'.");
}
