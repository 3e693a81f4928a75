namespace Overseer.Contracts.Api;

/// <summary>
/// Bounds on what one list response may carry, so a page's size does not grow with what users
/// typed: a page holds at most <see cref="MaxPageSize"/> items (a larger <c>limit</c> is a 400
/// naming it, not silently clamped), and a session in a list carries a prompt preview.
/// </summary>
public static class ListLimits
{
    public const int DefaultPageSize = 100;

    public const int MaxPageSize = 200;

    /// <summary>Characters (Unicode code points) of a prompt shown in a list; the full prompt is on <c>GET /api/sessions/{id}</c>.</summary>
    public const int PromptPreviewChars = 200;
}
