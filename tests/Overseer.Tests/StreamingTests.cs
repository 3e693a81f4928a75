using System.Text;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class StreamingTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Streaming:Heartbeat"] = "00:00:00.300", ["Api:MaxBodyBytes"] = "16777216", ["Streaming:SubscriberBuffer"] = "64" };

    private static string Says(int count, int sleepMs = 0)
    {
        var steps = Enumerable.Range(1, count).Select(i => sleepMs > 0 ? $"{{\"say\": \"{i}\"}}, {{\"sleep\": {sleepMs}}}" : $"{{\"say\": \"{i}\"}}");
        return "[" + string.Join(", ", steps) + "]";
    }

    [Fact]
    public async Task SessionStream_CatchesUpThenGoesLive_WithSeqAsId()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"before\"}, {\"ask\": {\"question\": \"go?\"}}, {\"say\": \"after\"}]");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);

        await using var sse = await SseClient.ConnectAsync(Client, $"/api/sessions/{session.Id}/stream");
        var caughtUp = await sse.ReadUntilAsync(m => m.Type == "session.waiting");
        caughtUp[0].Type.ShouldBe("session.created");
        foreach (var message in caughtUp)
        {
            message.Id.ShouldBe(message.Seq);
            message.Data.GetProperty("sessionId").GetString().ShouldBe(session.Id);
        }

        var question = (await Client.GetEventsAsync(session.Id)).Single(e => e.Type == "question.asked").Data.GetProperty("questionId").GetString();
        await Client.PostJsonAsync($"/api/questions/{question}/answer", "{\"answers\": {\"go?\": \"yes\"}}");
        var live = await sse.ReadUntilAsync(m => m.Type == "session.idle");
        live.Select(m => m.Type).ShouldContain("question.answered");
        live.ShouldContain(m => m.Type == "agent.text" && m.Data.GetProperty("data").GetProperty("text").GetString() == "after");
        var all = caughtUp.Concat(live).Select(m => m.Seq).ToList();
        all.ShouldBe((await Client.GetEventsAsync(session.Id)).Select(e => e.Seq).ToList());
    }

    [Fact]
    public async Task SessionStream_DroppedAndResumedWithLastEventId_HasNoGapAndNoDuplicate()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, Says(60, sleepMs: 10));

        var received = new List<SseMessage>();
        await using (var first = await SseClient.ConnectAsync(Client, $"/api/sessions/{session.Id}/stream"))
            received.AddRange(await first.ReadUntilAsync(m => m.Type == "agent.text" && m.Data.GetProperty("data").GetProperty("text").GetString() == "10"));
        // Dropped: events keep being stored while nobody listens.
        await Task.Delay(150);
        await using (var second = await SseClient.ConnectAsync(Client, $"/api/sessions/{session.Id}/stream", lastEventId: received[^1].Id.ToString()))
            received.AddRange(await second.ReadUntilAsync(m => m.Type == "session.idle"));

        var stored = await Client.GetEventsAsync(session.Id);
        received.Select(m => m.Seq).ShouldBe(stored.Select(e => e.Seq));
        received.Select(m => m.Data.GetProperty("sessionSeq").GetInt64()).ShouldBe(Enumerable.Range(1, stored.Count).Select(i => (long)i));
    }

    [Fact]
    public async Task SessionStream_AfterQueryParameter_StartsAfterThatSeq()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, Says(5));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var stored = await Client.GetEventsAsync(session.Id);
        await using var sse = await SseClient.ConnectAsync(Client, $"/api/sessions/{session.Id}/stream?after={stored[4].Seq}");
        var read = await sse.ReadUntilAsync(m => m.Type == "session.idle");
        read.Select(m => m.Seq).ShouldBe(stored.Skip(5).Select(e => e.Seq));
    }

    [Fact]
    public async Task MultiplexedStream_CarriesEverySession_AndFiltersBySessions()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        // Connected after the project was created: a new subscriber starts from now.
        await using var all = await SseClient.ConnectAsync(Client, "/api/stream");
        var a = await Client.CreateSessionAsync(project.Id, Says(3));
        var b = await Client.CreateSessionAsync(project.Id, Says(3));
        await using var onlyB = await SseClient.ConnectAsync(Client, $"/api/stream?sessions={b.Id}&after=0");
        await Client.WaitForStatusAsync(a.Id, SessionStatus.Idle);
        await Client.WaitForStatusAsync(b.Id, SessionStatus.Idle);

        var seenIdle = new HashSet<string>();
        var everything = await all.ReadUntilAsync(m => m.Type == "session.idle" && seenIdle.Add(m.Data.GetProperty("sessionId").GetString()!) && seenIdle.Count == 2);
        everything.Select(m => m.Seq).ShouldBeInOrder(SortDirection.Ascending);
        everything.Select(m => m.Data.GetProperty("sessionId").GetString()).Distinct().ShouldBe([a.Id, b.Id], ignoreOrder: true);
        everything.Select(m => m.Seq).ShouldBe((await Client.GetEventsAsync(a.Id)).Concat(await Client.GetEventsAsync(b.Id)).Select(e => e.Seq).Order());

        var filtered = await onlyB.ReadUntilAsync(m => m.Type == "session.idle");
        filtered.ShouldAllBe(m => m.Data.GetProperty("sessionId").GetString() == b.Id);
        filtered.Select(m => m.Seq).ShouldBe((await Client.GetEventsAsync(b.Id)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Stream_WhenQuiet_SendsHeartbeatComments()
    {
        await using var sse = await SseClient.ConnectAsync(Client, "/api/stream");
        await Poll.UntilAsync(() => Task.FromResult(sse.Heartbeats), n => n >= 2, TimeSpan.FromSeconds(5), "heartbeats");
    }

    [Fact]
    public async Task Stream_UnknownSession_Answers404()
    {
        using var response = await Client.GetAsync("/api/sessions/s_nope/stream");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StalledClient_DoesNotHoldUpOthers_AndCatchesUpWithoutGaps()
    {
        // A client that connects and then stops reading: its socket fills, the server stops
        // draining its buffer, and it is marked behind instead of holding anything up.
        var project = await Client.CreateProjectAsync(NewProjectDir());
        using var stalled = new System.Net.Sockets.TcpClient();
        await stalled.ConnectAsync(Server.Address.Host, Server.Address.Port);
        var stream = stalled.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /api/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {Server.Token}\r\nAccept: text/event-stream\r\n\r\n"));

        await using var healthy = await SseClient.ConnectAsync(Client, "/api/stream");
        var big = new string('x', 2000);
        var steps = string.Join(", ", Enumerable.Range(1, 3000).Select(i => $"{{\"say\": \"{i} {big}\"}}"));
        var projectBody = $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"flood\", \"runtime\": \"scripted\", \"script\": [{steps}]}}";
        using var created = await Server.CreateClient().PostJsonAsync("/api/sessions", projectBody);
        created.EnsureSuccessStatusCode();
        var sessionId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var got = (await healthy.ReadUntilAsync(m => m.Type == "session.idle", TimeSpan.FromSeconds(60))).Where(m => m.Id is not null).ToList();
        got.Count(m => m.Type == "agent.text").ShouldBe(3000);
        got.Select(m => m.Seq).ShouldBeInOrder(SortDirection.Ascending);
        got.Select(m => m.Seq).Distinct().Count().ShouldBe(got.Count);

        // Now the stalled client reads everything: all 3000 texts, in order, exactly once,
        // with a stream.behind notice where it had fallen behind.
        var reader = new SseStreamParser(stream);
        var texts = new List<int>();
        var behind = 0;
        long lastSeq = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var message in reader.ReadAsync(timeout.Token))
        {
            var type = message.GetProperty("type").GetString();
            if (type == "stream.behind")
            {
                behind++;
                continue;
            }
            var seq = message.GetProperty("seq").GetInt64();
            seq.ShouldBeGreaterThan(lastSeq);
            lastSeq = seq;
            if (type == "agent.text")
                texts.Add(int.Parse(message.GetProperty("data").GetProperty("text").GetString()!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
            if (type == "session.idle" && message.GetProperty("sessionId").GetString() == sessionId)
                break;
        }
        texts.ShouldBe(Enumerable.Range(1, 3000));
        behind.ShouldBeGreaterThan(0);
    }
}
