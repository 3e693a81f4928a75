namespace Overseer.TestKit.Anthropic;

/// <summary>An HTTP error reply: <c>{"type":"error","error":{"type":Type,"message":Message}}</c> with status <see cref="Status"/>.</summary>
public sealed record MockError(int Status, string Type, string Message, TimeSpan? RetryAfter);
