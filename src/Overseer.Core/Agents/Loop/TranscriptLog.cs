using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Reads a session's conversation back from its event log: the one source a runtime of Overseer's
/// own resumes from, after a restart or hibernation. Long texts come whole from their blobs; what
/// the store redacted (secrets) stays redacted.
/// </summary>
public static class TranscriptLog
{
    /// <summary>What <c>POST …/interrupt</c> stores as the person's message.</summary>
    public const string InterruptMessage = "[interrupt]";

    private const int Page = 1000;

    public static async Task<Transcript> LoadAsync(IEventStore store, IBlobReader blobs, string sessionId, CancellationToken cancellationToken)
    {
        var transcript = new Transcript();
        long after = 0;
        while (true)
        {
            var events = await store.ReadSessionAsync(sessionId, after, Page, cancellationToken);
            foreach (var e in events)
            {
                if (await ReadAsync(e, blobs, cancellationToken) is { } entry)
                    transcript.Add(entry);
            }
            if (events.Count < Page)
                return transcript;
            after = events[^1].Seq;
        }
    }

    private static async Task<TranscriptEntry?> ReadAsync(EventEnvelope e, IBlobReader blobs, CancellationToken cancellationToken)
    {
        switch (e.Type)
        {
            case EventTypes.UserMessage:
                var message = e.Data.Deserialize(OverseerJson.Default.UserMessageData)!;
                return message.Text == InterruptMessage ? new InterruptedEntry() : new UserTextEntry(message.Text);
            case EventTypes.AgentText:
                var text = e.Data.Deserialize(OverseerJson.Default.AgentTextData)!;
                return new AssistantTextEntry(await WholeAsync(e, text.Text, text.BlobId, blobs, cancellationToken));
            case EventTypes.AgentThinking:
                var thinking = e.Data.Deserialize(OverseerJson.Default.AgentTextData)!;
                return new ThinkingEntry(await WholeAsync(e, thinking.Text, thinking.BlobId, blobs, cancellationToken), thinking.Signature, thinking.Redacted == true);
            case EventTypes.ToolCall:
                var call = e.Data.Deserialize(OverseerJson.Default.ToolCallData)!;
                var input = call.Input;
                if (call.BlobId is not null)
                    input = JsonDocument.Parse(await WholeAsync(e, input.ValueKind == JsonValueKind.String ? input.GetString()! : input.GetRawText(), call.BlobId, blobs, cancellationToken)).RootElement;
                return new ToolUseEntry(call.ToolUseId, call.Name, input);
            case EventTypes.ToolResult:
                var result = e.Data.Deserialize(OverseerJson.Default.ToolResultData)!;
                return new ToolResultEntry(result.ToolUseId, await WholeAsync(e, result.Output, result.BlobId, blobs, cancellationToken), result.IsError);
            case EventTypes.AgentContinued:
                return new ContinuedEntry(e.Data.Deserialize(OverseerJson.Default.AgentContinuedData)!.Prompt);
            case EventTypes.AgentCompacted:
                var compacted = e.Data.Deserialize(OverseerJson.Default.AgentCompactedData)!;
                return new CompactedEntry(compacted.Summary, compacted.KeptEntries);
            default:
                return null;
        }
    }

    /// <summary>The whole text behind a preview; the preview itself when its blob is gone.</summary>
    private static async Task<string> WholeAsync(EventEnvelope e, string preview, string? blobId, IBlobReader blobs, CancellationToken cancellationToken)
    {
        if (blobId is null || e.SessionId is null)
            return preview;
        var bytes = await blobs.ReadBlobAsync(e.SessionId, blobId, cancellationToken);
        return bytes is null ? preview : Encoding.UTF8.GetString(bytes);
    }
}
