namespace Overseer.Notifications;

/// <summary>
/// What a signed action link allows: one action on one item, by one user, until it expires,
/// once (its nonce is recorded when used).
/// </summary>
/// <param name="Kind">approval | question.</param>
/// <param name="Action">approve | deny | answer.</param>
/// <param name="Option">For answer: the option's label.</param>
/// <param name="Expires">Unix seconds.</param>
public sealed record ActionClaim(string Kind, string ItemId, string UserId, string Action, string? Option, long Expires, string Nonce);
