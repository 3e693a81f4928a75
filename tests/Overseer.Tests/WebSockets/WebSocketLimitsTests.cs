using System.Net.WebSockets;
using System.Text;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.WebSockets;

public sealed class WebSocketLimitsTests : WebSocketTest
{
    private const int MessagesPerMinute = 30;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["WebSockets:MaxMessageBytes"] = "2048",
        ["WebSockets:MessagesPerMinute"] = MessagesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["WebSockets:ExecuteTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task OversizedMessage_IsMessageTooLargeAndClosed_OtherClientUnaffected()
    {
        var big = await ConnectAsync();
        var other = await ConnectAsync();
        var padding = new string('x', 4096);
        await big.SendBytesAsync(Encoding.UTF8.GetBytes($"{{\"type\": \"ping\", \"id\": \"big\", \"pad\": \"{padding}\"}}"));
        var error = await big.WaitForAsync(m => WsClient.Str(m, "type") == "error", "MESSAGE_TOO_LARGE");
        WsClient.Str(error, "code").ShouldBe("MESSAGE_TOO_LARGE");
        (await big.ClosedAsync()).ShouldBe(WebSocketCloseStatus.MessageTooBig);
        WsClient.Str(await other.RequestAsync("ping"), "type").ShouldBe("pong");
    }

    [Fact]
    public async Task MessageJustUnderTheLimit_IsHandled()
    {
        var client = await ConnectAsync();
        var padding = new string('x', 2048 - 60);
        await client.SendRawAsync($"{{\"type\": \"ping\", \"id\": \"edge\", \"pad\": \"{padding}\"}}");
        WsClient.Str(await client.WaitForAsync(m => WsClient.Str(m, "id") == "edge", "the pong"), "type").ShouldBe("pong");
    }

    [Fact]
    public async Task TooManyMessages_AreRateLimited_OtherClientUnaffected()
    {
        var flooder = await ConnectAsync();
        var other = await ConnectAsync();
        for (var i = 0; i < MessagesPerMinute + 5; i++)
            await flooder.SendAsync("ping");
        var limited = await flooder.WaitForAsync(m => WsClient.IsError(m, "RATE_LIMITED"), "RATE_LIMITED");
        WsClient.Str(limited, "message")!.ShouldContain($"{MessagesPerMinute}");
        flooder.State.ShouldBe(WebSocketState.Open);
        WsClient.Str(await other.RequestAsync("ping"), "type").ShouldBe("pong");
    }

    [Fact]
    public async Task Execute_PastTheTimeout_IsExecutionTimeoutAndTheTurnInterrupted()
    {
        var client = await ConnectAsync();
        var created = await client.RequestAsync("project_create", new { path = NewProjectDir() });
        var projectId = created.GetProperty("project").GetProperty("id").GetString()!;
        var started = await ExecuteAsync(client, projectId, "[{\"say\": \"slow\"}, {\"sleep\": 60000}, {\"say\": \"never\"}]");
        var sessionId = WsClient.Str(started, "sessionId")!;

        var timeout = await client.WaitForAsync(m => WsClient.Str(m, "type") == "error", "EXECUTION_TIMEOUT");
        WsClient.Str(timeout, "code").ShouldBe("EXECUTION_TIMEOUT");
        WsClient.Str(timeout, "id").ShouldBe(WsClient.Str(started, "id"));
        WsClient.Str(timeout, "sessionId").ShouldBe(sessionId);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
    }
}
