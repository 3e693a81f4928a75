using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Sessions;
using Overseer.Storage.Sqlite;
using static Overseer.Contracts.Events.SessionStatus;

namespace Overseer.Core.Tests;

/// <summary>Issue 12: every kind of long agent-produced text is stored as a preview in its event and whole in a blob.</summary>
public sealed class LongAgentTextTests
{
    private static readonly int Preview = new SessionOptions().EventPreviewChars;
    private static readonly string Long = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"step {i} «ü»\n"));

    [Fact]
    public async Task LongThinkingErrorAndRawMessage_AreEachAPreview_WithTheWholeTextInTheirBlob()
    {
        await using var engine = await Engine.StartAsync();
        var raw = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["type"] = "something_new", ["payload"] = Long });
        var (manager, _) = engine.AddManager(maxConcurrent: 4, runtimes: new FakeRuntime("long", async (sink, _) =>
        {
            await sink.EmitAsync(new AgentThinkingEmitted(Long, "m1"), CancellationToken.None);
            await sink.EmitAsync(new AgentFact(EventTypes.AgentError, Json(new AgentErrorData(Long, "not_json"))), CancellationToken.None);
            await sink.EmitAsync(new AgentFact(EventTypes.AgentError, JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["odd"] = 1 })), CancellationToken.None);
            await sink.EmitAsync(new AgentFact(EventTypes.AgentRaw, raw), CancellationToken.None);
            await sink.EmitAsync(new TurnEnded(), CancellationToken.None);
        }));

        var id = await engine.CreateSessionAsync(manager, "long");
        await engine.WaitForStatusAsync(id, Idle);

        var events = await engine.EventsAsync(id);
        var thinking = events.Single(e => e.Type == EventTypes.AgentThinking).Data.Deserialize(OverseerJson.Default.AgentTextData)!;
        (thinking.Text, thinking.MessageId, thinking.Truncated, thinking.FullLength).ShouldBe((Long[..Preview], "m1", true, Long.Length));
        (await BlobAsync(engine, id, thinking.BlobId)).ShouldBe(Long);

        var errors = events.Where(e => e.Type == EventTypes.AgentError).ToList();
        var error = errors[0].Data.Deserialize(OverseerJson.Default.AgentErrorData)!;
        (error.Message, error.Kind, error.Truncated, error.FullLength).ShouldBe((Long[..Preview], "not_json", true, Long.Length));
        (await BlobAsync(engine, id, error.BlobId)).ShouldBe(Long);
        errors[1].Data.GetRawText().ShouldBe("""{"odd":1}"""); // not in the error shape: stored as it came

        var rawEvent = events.Single(e => e.Type == EventTypes.AgentRaw).Data.Deserialize(OverseerJson.Default.AgentTextData)!;
        rawEvent.Truncated.ShouldBe(true);
        rawEvent.Text.ShouldBe(raw.GetRawText()[..Preview]);
        (await BlobAsync(engine, id, rawEvent.BlobId)).ShouldBe(raw.GetRawText());
    }

    private static JsonElement Json(AgentErrorData error) => JsonSerializer.SerializeToElement(error, OverseerJson.Default.AgentErrorData);

    private static async Task<string> BlobAsync(Engine engine, string sessionId, string? blobId) =>
        Encoding.UTF8.GetString((await new SqliteBlobReader(engine.Database).ReadBlobAsync(sessionId, blobId.ShouldNotBeNull())).ShouldNotBeNull());
}
