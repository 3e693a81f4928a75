namespace Overseer.Contracts.Api;

/// <summary>
/// <c>POST /api/tokens</c>: <paramref name="Role"/> is the token's ceiling (at most the caller's role;
/// the caller's by default); give <paramref name="ExpiresAt"/> or <paramref name="ExpiresInDays"/>, or neither for no expiry.
/// </summary>
public sealed record CreateTokenRequest(string? Name, string? Role = null, DateTimeOffset? ExpiresAt = null, int? ExpiresInDays = null);

/// <summary>A token as listed: never its secret, which only the creating answer shows once.</summary>
public sealed record TokenDto(
    string Id,
    string Name,
    string Role,
    string UserId,
    string? UserName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? LastUsedAt);

/// <summary>The answer to creating a token: <paramref name="Token"/> is shown this once and stored only as a hash.</summary>
public sealed record CreatedTokenDto(string Token, TokenDto Info);
