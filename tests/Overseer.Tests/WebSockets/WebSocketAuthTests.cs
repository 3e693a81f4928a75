using System.Net;
using System.Net.WebSockets;
using Overseer.TestKit;

namespace Overseer.Tests.WebSockets;

public sealed class WebSocketAuthTests : WebSocketTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["WebSockets:AllowedOrigins:0"] = "https://phone.example",
        ["WebSockets:AuthTimeout"] = "00:00:03",
    };

    [Fact]
    public async Task Connect_WithBearerHeader_IsAuthenticated()
    {
        var client = await ConnectAsync();
        var pong = await client.RequestAsync("ping");
        WsClient.Str(pong, "type").ShouldBe("pong");
    }

    [Fact]
    public async Task Auth_AsFirstMessage_Authenticates()
    {
        var client = await ConnectAsync(token: null);
        var ok = await client.RequestAsync("auth", new { token = Server.Token });
        WsClient.Str(ok, "type").ShouldBe("auth_ok");
        WsClient.Str(ok, "user").ShouldBe("admin");
        WsClient.Str(await client.RequestAsync("project_list"), "type").ShouldBe("project_list_response");
    }

    [Fact]
    public async Task Message_WithoutToken_IsUnauthorizedAndClosed()
    {
        var client = await ConnectAsync(token: null);
        var error = await client.RequestAsync("project_list");
        WsClient.IsError(error, "UNAUTHORIZED").ShouldBeTrue(error.GetRawText());
        (await client.ClosedAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task Auth_WithWrongToken_IsUnauthorizedAndClosed()
    {
        var client = await ConnectAsync(token: null);
        var error = await client.RequestAsync("auth", new { token = "ovs_not-a-real-token" });
        WsClient.IsError(error, "UNAUTHORIZED").ShouldBeTrue(error.GetRawText());
        (await client.ClosedAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task Auth_NeverSent_IsUnauthorizedAndClosedAfterTheTimeout()
    {
        var client = await ConnectAsync(token: null);
        var error = await client.WaitForAsync(m => WsClient.Str(m, "type") == "error", "the auth timeout");
        WsClient.Str(error, "code").ShouldBe("UNAUTHORIZED");
        (await client.ClosedAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task Connect_WithWrongBearerHeader_IsRefusedWith401()
    {
        using var socket = WsClient.CreateSocket("ovs_wrong", origin: null);
        await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(WsClient.UriOf(Server), CancellationToken.None));
        socket.HttpStatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Connect_WithTokenInQueryString_IsNotAuthenticated()
    {
        var query = $"?access_token={Uri.EscapeDataString(Server.Token)}&token={Uri.EscapeDataString(Server.Token)}";
        var client = await ConnectAsync(token: null, query: query);
        var error = await client.RequestAsync("project_list");
        WsClient.IsError(error, "UNAUTHORIZED").ShouldBeTrue(error.GetRawText());
        (await client.ClosedAsync()).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task Connect_FromForeignOrigin_IsRefusedWith403Problem()
    {
        using var socket = WsClient.CreateSocket(Server.Token, origin: "https://evil.example");
        await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(WsClient.UriOf(Server), CancellationToken.None));
        socket.HttpStatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The same upgrade as a plain request shows the problem detail.
        using var response = await UpgradeAsync(Client, "https://evil.example");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("ORIGIN_NOT_ALLOWED");
    }

    [Fact]
    public async Task Connect_WithForgedMatchingOriginAndHost_IsRefused()
    {
        // DNS rebinding: evil.example now resolves to 127.0.0.1, so the browser sends both headers naming it.
        var port = Server.Address.Port;

        using var response = await UpgradeAsync(Client, $"http://evil.example:{port}", $"evil.example:{port}");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("ORIGIN_NOT_ALLOWED");
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}", HttpStatusCode.SwitchingProtocols)]
    [InlineData("http://localhost:{0}", HttpStatusCode.SwitchingProtocols)]
    [InlineData("http://127.0.0.1:1", HttpStatusCode.Forbidden)]
    [InlineData("https://127.0.0.1:{0}", HttpStatusCode.Forbidden)]
    [InlineData("http://10.0.0.1:{0}", HttpStatusCode.Forbidden)]
    public async Task Connect_Origin_IsJudgedByTheListeningAddress(string origin, HttpStatusCode expected)
    {
        using var response = await UpgradeAsync(Client, string.Format(System.Globalization.CultureInfo.InvariantCulture, origin, Server.Address.Port));

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("https://phone.example")]
    [InlineData(null)]
    public async Task Connect_FromAllowedOrSameOrigin_Works(string? origin)
    {
        var client = await ConnectAsync(origin: origin ?? $"http://{Server.Address.Authority}");
        WsClient.Str(await client.RequestAsync("ping"), "type").ShouldBe("pong");
    }

    [Fact]
    public async Task PlainRequest_ToWs_Is426()
    {
        using var response = await Client.GetAsync("/ws");
        response.StatusCode.ShouldBe(HttpStatusCode.UpgradeRequired);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("UPGRADE_REQUIRED");
    }
}
