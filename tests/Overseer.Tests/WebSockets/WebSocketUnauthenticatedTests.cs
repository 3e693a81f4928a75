using System.Net;
using System.Net.WebSockets;
using Overseer.TestKit;

namespace Overseer.Tests.WebSockets;

public sealed class WebSocketUnauthenticatedTests : WebSocketTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["WebSockets:MaxUnauthenticatedConnections"] = "2",
        ["WebSockets:AuthTimeout"] = "00:00:02",
    };

    private async Task<HttpStatusCode?> TryConnectWithoutTokenAsync()
    {
        using var socket = WsClient.CreateSocket(token: null, origin: null);
        try
        {
            await socket.ConnectAsync(WsClient.UriOf(Server), CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    [Fact]
    public async Task Connect_PastTheUnauthenticatedCap_IsRefusedWith503_UntilOneAuthenticates()
    {
        var first = await ConnectAsync(token: null);
        await ConnectAsync(token: null);

        (await TryConnectWithoutTokenAsync()).ShouldBe(HttpStatusCode.ServiceUnavailable);
        // A client with a header needs no slot.
        WsClient.Str(await (await ConnectAsync()).RequestAsync("ping"), "type").ShouldBe("pong");

        WsClient.Str(await first.RequestAsync("auth", new { token = Server.Token }), "type").ShouldBe("auth_ok");
        await Poll.UntilAsync(TryConnectWithoutTokenAsync, status => status == HttpStatusCode.SwitchingProtocols, what: "a freed slot");
    }

    [Fact]
    public async Task Connect_PastTheCap_ExplainsItselfAsAProblem()
    {
        await ConnectAsync(token: null);
        await ConnectAsync(token: null);
        using var anonymous = new HttpClient { BaseAddress = Server.Address };

        using var response = await UpgradeAsync(anonymous);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("TOO_MANY_UNAUTHENTICATED");
    }

    [Fact]
    public async Task Auth_NeverSent_ClosesWithPolicyViolationAndSaysWhy_AndFreesTheSlot()
    {
        var client = await ConnectAsync(token: null);
        await ConnectAsync(token: null);

        (await client.ClosedAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
        client.CloseDescription.ShouldBe("authentication timeout");
        await Poll.UntilAsync(TryConnectWithoutTokenAsync, status => status == HttpStatusCode.SwitchingProtocols, what: "the timed-out sockets' slots");
    }
}
