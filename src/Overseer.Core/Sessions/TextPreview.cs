using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

/// <summary>
/// A text the way an event carries it: whole when it fits in the preview limit; otherwise its
/// head, with <see cref="Truncated"/>, the whole <see cref="FullLength"/> and the
/// <see cref="BlobId"/> of the <see cref="Blob"/> that stores the whole text once, beside the
/// event. A 7 MB line is a small event that every client replays, and nothing of it is lost.
/// </summary>
internal readonly record struct TextPreview(string Text, NewBlob? Blob)
{
    public bool? Truncated => Blob is null ? null : true;

    public long? FullLength => Blob?.Text.Length;

    public string? BlobId => Blob?.Id;

    /// <summary>Every big agent-produced text goes through here: text, thinking, tool input and output, errors, raw messages.</summary>
    public static TextPreview Of(string text, int previewChars) =>
        text.Length <= previewChars ? new(text, null) : new(Head(text, previewChars), NewBlob.Of(text));

    /// <summary>The first <paramref name="max"/> chars, never ending on half a surrogate pair (the stored text must stay valid Unicode).</summary>
    private static string Head(string text, int max) => text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
}
