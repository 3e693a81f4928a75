namespace Overseer.Notifications.Channels;

/// <summary>ntfy's JSON publish body (POST to the server's root).</summary>
public sealed record NtfyMessage(string Topic, string Title, string Message, int Priority, IReadOnlyList<string> Tags, IReadOnlyList<NtfyAction> Actions, string? Click);

/// <param name="Action">view (opens the URL) or http (the phone sends the request itself: one tap, no page).</param>
public sealed record NtfyAction(string Action, string Label, string Url, string? Method = null, bool Clear = false);
