using Microsoft.Extensions.Options;
using Overseer.TestKit;
using Overseer.WebSockets;

namespace Overseer.Tests.WebSockets;

public sealed class WebSocketOptionsTests
{
    [Theory]
    [InlineData("WebSockets:AllowedOrigins:0", "https://phone.example/app", "AllowedOrigins")]
    [InlineData("WebSockets:MaxMessageBytes", "10", "MaxMessageBytes")]
    [InlineData("WebSockets:IdleTimeout", "00:00:01", "IdleTimeout")]
    [InlineData("WebSockets:MessagesPerMinute", "0", "MessagesPerMinute")]
    [InlineData("WebSockets:MaxUnauthenticatedConnections", "0", "MaxUnauthenticatedConnections")]
    [InlineData("WebSockets:AuthTimeout", "00:00:00", "AuthTimeout")]
    public async Task Start_InvalidWebSocketSetting_FailsNamingIt(string key, string value, string name)
    {
        using var temp = new TempDirectory();
        var root = temp.Create("projects");
        var failure = await Should.ThrowAsync<OptionsValidationException>(() =>
            TestServer.StartAsync(Path.Combine(temp.Path, "data"), root, new Dictionary<string, string?> { [key] = value }));
        failure.Message.ShouldContain(name);
    }

    [Theory]
    [InlineData("https://phone.example", true)]
    [InlineData("http://10.0.0.5:8080", true)]
    [InlineData("*", true)]
    [InlineData("https://phone.example/", true)]
    [InlineData("https://phone.example/app", false)]
    [InlineData("phone.example", false)]
    [InlineData("ftp://phone.example", false)]
    public void OriginPolicy_Validate_AcceptsOnlyOrigins(string origin, bool valid) =>
        (OriginPolicy.Validate(origin) is null).ShouldBe(valid);
}
