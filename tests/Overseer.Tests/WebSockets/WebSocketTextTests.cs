using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Overseer.Tests.WebSockets;

/// <summary>
/// Issue 12: a message whose text is not Unicode used to throw in dispatch and close the socket
/// (1000) with no error frame. Each now gets an INVALID_TEXT error naming the field, and the
/// socket stays open and usable.
/// </summary>
public sealed class WebSocketTextTests : WebSocketTest
{
    private static async Task<JsonElement> ErrorAfterAsync(WsClient client, string raw)
    {
        await client.SendRawAsync(raw);
        return await client.WaitForAsync(m => WsClient.Str(m, "type") == "error", "an error frame");
    }

    private static async Task StillUsableAsync(WsClient client)
    {
        var pong = await client.RequestAsync("ping");
        WsClient.Str(pong, "type").ShouldBe("pong");
        client.State.ShouldBe(WebSocketState.Open);
    }

    [Theory]
    [InlineData("{\"type\": \"ping\", \"id\": \"\\ud800\"}", "id")]
    [InlineData("{\"type\": \"\\udc00\", \"id\": \"x1\"}", "type")]
    [InlineData("{\"type\": \"ping\\ud83d\"}", "type")]
    [InlineData("{\"type\": \"project_create\", \"path\": \"/tmp/\\ud800\"}", "path")]
    [InlineData("{\"type\": \"execute\", \"projectId\": \"p\", \"prompt\": \"go\", \"script\": [{\"say\": \"\\ud800\"}]}", "script[0].say")]
    public async Task Message_UnpairedSurrogate_GetsInvalidTextNamingTheField_AndTheSocketStaysUsable(string raw, string field)
    {
        var client = await ConnectAsync();
        var error = await ErrorAfterAsync(client, raw);
        WsClient.Str(error, "code").ShouldBe("INVALID_TEXT");
        WsClient.Str(error, "field").ShouldBe(field);
        await StillUsableAsync(client);
    }

    [Fact]
    public async Task Message_InvalidUtf8_ClosesWith1007AsTheProtocolRequires()
    {
        // RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (1007); the server's
        // WebSocket layer does this before a handler sees the bytes, so there is no error frame.
        var client = await ConnectAsync();
        await client.SendBytesAsync([.. "{\"type\": \"pi"u8.ToArray(), 0xC3, 0x28, .. "ng\", \"id\": \"x9\"}"u8.ToArray()]);
        (await client.ClosedAsync()).ShouldBe(WebSocketCloseStatus.InvalidPayloadData);
    }

    [Fact]
    public async Task Message_UnpairedSurrogateInType_EchoesAValidId()
    {
        var client = await ConnectAsync();
        var error = await ErrorAfterAsync(client, "{\"id\": \"x7\", \"type\": \"\\ud800\"}");
        WsClient.Str(error, "id").ShouldBe("x7");
    }

    [Fact]
    public async Task ProjectCreate_NameWithBidiOverride_GetsValidationFailedNamingName()
    {
        var client = await ConnectAsync();
        var reply = await client.RequestAsync("project_create", new { path = NewProjectDir(), name = "abc\u202Etxt" });
        WsClient.Str(reply, "type").ShouldBe("error");
        WsClient.Str(reply, "field").ShouldBe("name");
        await StillUsableAsync(client);
    }

    [Fact]
    public async Task Message_UnpairedSurrogateBeforeAuth_GetsAnErrorFrame()
    {
        var client = await ConnectAsync(token: null);
        var error = await ErrorAfterAsync(client, "{\"type\": \"auth\", \"token\": \"\\ud800\"}");
        WsClient.Str(error, "code").ShouldBe("INVALID_TEXT");
        WsClient.Str(error, "field").ShouldBe("token");
        var ok = await client.RequestAsync("auth", new { token = Server.Token });
        WsClient.Str(ok, "type").ShouldBe("auth_ok");
    }

    [Fact]
    public async Task Message_ValidNonAscii_IsHandled()
    {
        var client = await ConnectAsync();
        await client.SendBytesAsync(Encoding.UTF8.GetBytes("{\"type\": \"ping\", \"id\": \"é😀\"}"));
        var pong = await client.WaitForAsync(m => WsClient.Str(m, "type") == "pong", "pong");
        WsClient.Str(pong, "id").ShouldBe("é😀");
    }
}
