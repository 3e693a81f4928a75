using System.Text.Json;
using Overseer.Contracts.Api;
using Overseer.Contracts.Text;

namespace Overseer.Contracts.WebSockets;

/// <summary>
/// A client message read as far as its envelope: either its <c>type</c>, <c>id</c> and parsed
/// document (which the caller disposes), or the error to send back.
/// </summary>
public sealed record WsIncoming(string? Id, string? Type, JsonDocument? Document, string? ErrorCode = null, string? Error = null, string? Field = null)
{
    public bool IsError => ErrorCode is not null;
}

/// <summary>
/// Reads one text frame's bytes into a message envelope. Whatever the bytes, the answer is a
/// message or an error naming what is wrong — never an exception — so one bad frame costs its
/// sender an error reply and the socket stays usable.
/// </summary>
public static class WsMessageReader
{
    public const int MaxDepth = 64;

    public static WsIncoming Read(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            return Fail(null, WsErrorCodes.InvalidMessage, $"The message is not valid JSON: {JsonMessages.FirstSentence(ex.Message)}", null);
        }
        // Checked before anything reads a string: an unpaired surrogate or invalid UTF-8 would
        // otherwise throw from whichever handler reads that field first.
        if (JsonTextCheck.Find(message.Span, MaxDepth) is { } invalid)
        {
            var id = invalid.Field == "id" ? null : StringOrNull(document.RootElement, "id");
            document.Dispose();
            return Fail(id, ErrorCodes.InvalidText, invalid.Detail, invalid.Field);
        }
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return Fail(null, WsErrorCodes.InvalidMessage, "A message must be a JSON object such as {\"type\": \"ping\"}.", null);
        }
        string? messageId = null;
        if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            if (idElement.ValueKind != JsonValueKind.String)
            {
                document.Dispose();
                return Fail(null, WsErrorCodes.InvalidMessage, "Field 'id' must be a string.", "id");
            }
            messageId = idElement.GetString();
        }
        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String || typeElement.GetString() is not { Length: > 0 } type)
        {
            document.Dispose();
            return Fail(messageId, WsErrorCodes.InvalidMessage, "Field 'type' is required and must be a string naming the message.", "type");
        }
        return new WsIncoming(messageId, type, document);
    }

    private static WsIncoming Fail(string? id, string code, string message, string? field) =>
        new(id, null, null, code, message, field);

    private static string? StringOrNull(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
