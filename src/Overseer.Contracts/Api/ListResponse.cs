namespace Overseer.Contracts.Api;

/// <summary>Every list endpoint answers this shape; <see cref="Next"/> is the cursor for the next page.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, string? Next);
