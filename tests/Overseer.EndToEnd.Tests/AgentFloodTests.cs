using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage.Sqlite;
using Overseer.TestKit;
using Xunit.Abstractions;

namespace Overseer.EndToEnd.Tests;

/// <summary>Measures the server's own heap, so nothing else may run in this process meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement";
}

/// <summary>
/// Issue 12: an agent that floods its pipes (a 200 MB stderr line, 20,000 junk stdout lines, a
/// 7 MB text) must not make the server's memory balloon or fill the store.
/// </summary>
[Collection(MemoryMeasurement.Name)]
public sealed class AgentFloodTests(ITestOutputHelper output)
{
    private const string Init = """{"type":"system","subtype":"init","session_id":"fake-flood","model":"fake","tools":[],"claude_code_version":"0.0.0"}""";
    private const string Result = """{"type":"result","subtype":"success","is_error":false,"result":"done","usage":{"input_tokens":1,"output_tokens":1}}""";

    private const string Script =
        $$$"""
        #!/bin/bash
        read -r first
        printf '%s\n' '{{{Init}}}'
        case "$first" in
          *flood*)
            head -c 200000000 /dev/zero | tr '\0' 'e' >&2
            printf 'END-OF-LONG-LINE\n' >&2
            yes 'junk, not json' | head -n 20000 ;;
          *huge-text*)
            # One 7.2 MB line, twice: 450,000 numbered lines with a non-ASCII letter, so a wrong byte shows.
            big=$(seq -f 'line %06g é\n' 1 450000 | tr -d '\n')
            printf '{"type":"assistant","message":{"content":[{"type":"text","text":"%s"}]}}\n' "$big"
            printf '{"type":"assistant","message":{"content":[{"type":"text","text":"%s"}]}}\n' "$big" ;;
        esac
        printf '%s\n' '{{{Result}}}'
        read -r next
        """;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Flood_LeavesTheHeapBoundedAndTheErrorsCapped_AndTheTurnFailsWithTheReason()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script);
        await using var _ = server;
        // Warm: the first session loads and compiles what every later one uses.
        var warm = await server.Client.CreateSessionAsync(projectId, "[{\"say\": \"warm\"}]");
        await server.Client.WaitForStatusAsync(warm.Id, SessionStatus.Idle);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var rssBefore = Environment.WorkingSet;

        // Sampled while the flood runs: a reader that held the long line whole would show here,
        // even though a full collection afterwards would hide it.
        using var flooding = new CancellationTokenSource();
        var peak = Task.Run(async () =>
        {
            var max = 0L;
            while (!flooding.IsCancellationRequested)
            {
                max = Math.Max(max, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(5, CancellationToken.None);
            }
            return max;
        }, CancellationToken.None);
        var id = await FakeAgent.StartSessionAsync(server, projectId, "flood");
        var failed = await server.Client.WaitForStatusAsync(id, SessionStatus.Failed, TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(() => server.Client.GetEventsAsync(id), e => e.Any(x => x.Type == EventTypes.AgentExited), TimeSpan.FromSeconds(20), "the agent's exit");
        await flooding.CancelAsync();
        var highest = await peak;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed heap before {before / 1024.0 / 1024:F1} MB, peak {highest / 1024.0 / 1024:F1} MB, after {after / 1024.0 / 1024:F1} MB; " +
            $"working set before {rssBefore / 1024.0 / 1024:F0} MB, after {Environment.WorkingSet / 1024.0 / 1024:F0} MB");

        (highest - before).ShouldBeLessThan(64L * 1024 * 1024);
        (after - before).ShouldBeLessThan(16L * 1024 * 1024);
        failed.Reason.ShouldNotBeNull().ShouldContain("100 unreadable lines");
        var events = await server.Client.GetEventsAsync(id);
        events.Count(e => e.Type == EventTypes.AgentError).ShouldBe(100);
        var stderr = events.Where(e => e.Type == EventTypes.AgentStderr).Select(e => e.Data.GetProperty("text").GetString()!).ToList();
        var longLine = stderr.ShouldHaveSingleItem(); // the END line came with it, as its tail
        longLine.ShouldContain("bytes dropped");
        longLine.ShouldEndWith("END-OF-LONG-LINE");
        longLine.Length.ShouldBeLessThan(10_000);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task HugeText_EventAndStreamCarryAPreview_AndTheBlobIsTheWholeTextByteForByte()
    {
        using var root = new TempDirectory();
        var (server, projectId) = await FakeAgent.StartServerAsync(root, Script);
        await using var _ = server;
        var expected = string.Concat(Enumerable.Range(1, 450_000).Select(i => $"line {i:D6} é\n"));
        await using var stream = await SseClient.ConnectAsync(server.Client, "/api/stream");

        var id = await FakeAgent.StartSessionAsync(server, projectId, "huge-text");
        var live = (await stream.ReadUntilAsync(m => m.Type == EventTypes.SessionIdle && m.Data.GetProperty("sessionId").GetString() == id, TimeSpan.FromSeconds(60)))
            .Where(m => m.Type == EventTypes.AgentText).ToList();

        var stored = (await server.Client.GetEventsAsync(id)).Where(e => e.Type == EventTypes.AgentText).ToList();
        stored.Count.ShouldBe(2);
        var preview = expected[..(16 * 1024)];
        foreach (var text in stored.Select(e => e.Data.Deserialize(OverseerJson.Default.AgentTextData)!))
        {
            text.Text.ShouldBe(preview);
            text.Truncated.ShouldBe(true);
            text.FullLength.ShouldBe(expected.Length);
            text.BlobId.ShouldBe(stored[0].Data.GetProperty("blobId").GetString());
        }
        stored.Max(e => e.Data.GetRawText().Length).ShouldBeLessThan(100_000);
        live.Count.ShouldBe(2);
        live.ShouldAllBe(m => m.Data.GetProperty("data").GetProperty("text").GetString() == preview);
        live.Max(m => m.Data.GetRawText().Length).ShouldBeLessThan(100_000);

        using var blob = await server.Client.GetAsync($"/api/sessions/{id}/blobs/{stored[0].Data.GetProperty("blobId").GetString()}");
        blob.Content.Headers.ContentType!.ToString().ShouldBe("text/plain; charset=utf-8");
        var bytes = await blob.Content.ReadAsByteArrayAsync();
        bytes.Length.ShouldBe(Encoding.UTF8.GetByteCount(expected));
        bytes.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(expected)).ShouldBeTrue("the blob differs from what the agent wrote");
        await using var connection = await server.Service<SqliteDatabase>().OpenAsync();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM blobs";
        ((long)(await count.ExecuteScalarAsync())!).ShouldBe(1); // the same text twice is stored once
    }
}
