namespace Overseer.Contracts.Api;

/// <summary>A person: never their password or its hash, only whether they have one.</summary>
public sealed record UserDto(string Id, string Name, string Role, bool HasPassword, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

/// <summary><c>POST /api/users</c>. The password is optional (a user may sign in with tokens only).</summary>
public sealed record CreateUserRequest(string? Name, string? Role, string? Password);

/// <summary><c>PATCH /api/users/{id}</c>: absent fields stay as they are.</summary>
public sealed record UpdateUserRequest(string? Role, bool? Disabled);

/// <summary><c>PUT /api/users/{id}/password</c>.</summary>
public sealed record SetPasswordRequest(string? Password);

/// <summary>A project's member: the user and the role their membership gives them there.</summary>
public sealed record MemberDto(string UserId, string Name, string Role, string GlobalRole);

/// <summary><c>PUT /api/projects/{id}/members/{userId}</c>.</summary>
public sealed record PutMemberRequest(string? Role);
