using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;
using Overseer.TestKit;
using Overseer.Tests.WebSockets;

namespace Overseer.Tests;

/// <summary>Losing access (a token revoked or expired, a user disabled) closes what is open at once, and the next request is refused.</summary>
public sealed class TokenRevocationTests : WebSocketTest
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Revoke_ClosesOpenSseStreamsAndWebSocketWithinASecond_AndRefusesTheNextRequest()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, """[{"say":"hello"}]""");
        await Client.WaitForStatusAsync(session.Id, Contracts.Events.SessionStatus.Idle);
        var last = Server.Service<IEventStore>().LastSeq;
        var created = await TestUsers.CreateTokenAsync(Client, """{"name":"phone"}""");
        using var client = Server.CreateClient(created.Token);
        await using var all = await SseClient.ConnectAsync(client, "/api/stream");
        await using var one = await SseClient.ConnectAsync(client, $"/api/sessions/{session.Id}/stream?after={last}");
        var socket = await ConnectAsync(created.Token);
        (await socket.RequestAsync("project_list")).GetProperty("type").GetString().ShouldBe("project_list_response");
        // Someone else's stream is not touched.
        await using var admins = await SseClient.ConnectAsync(Client, "/api/stream");

        var clock = Stopwatch.StartNew();
        (await Client.DeleteAsync($"/api/tokens/{created.Info.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await Should.ThrowAsync<EndOfStreamException>(() => all.NextAsync(Second));
        await Should.ThrowAsync<EndOfStreamException>(() => one.NextAsync(Second));
        (await socket.ClosedAsync().WaitAsync(Second)).ShouldBe(WebSocketCloseStatus.PolicyViolation);
        socket.CloseDescription.ShouldBe("token revoked");
        clock.Elapsed.ShouldBeLessThan(Second + Second, "the revoke's own round trip plus at most a second");
        await Should.ThrowAsync<TimeoutException>(() => admins.NextAsync(TimeSpan.FromMilliseconds(300)));

        using var next = await client.GetAsync("/api/projects");
        next.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await Should.ThrowAsync<HttpRequestException>(() => SseClient.ConnectAsync(client, "/api/stream"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoke_SocketThatAuthenticatedByMessage_IsClosedWithPolicyViolation()
    {
        var created = await TestUsers.CreateTokenAsync(Client, """{"name":"by message"}""");
        var socket = await ConnectAsync(token: null);
        (await socket.RequestAsync("auth", new { token = created.Token })).GetProperty("type").GetString().ShouldBe("auth_ok");

        (await Client.DeleteAsync($"/api/tokens/{created.Info.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await socket.ClosedAsync().WaitAsync(Second)).ShouldBe(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task ExpiringToken_ItsStreamClosesAtExpiry_ThenItIsRefused()
    {
        // Far enough ahead that a slow first request (a loaded CI machine) still finds it in the future.
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(8);
        var created = await TestUsers.CreateTokenAsync(Client, $$"""{"name":"short","expiresAt":"{{expiresAt:O}}"}""");
        using var client = Server.CreateClient(created.Token);
        (await client.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var stream = await SseClient.ConnectAsync(client, "/api/stream");

        await Should.ThrowAsync<EndOfStreamException>(() => stream.NextAsync(TimeSpan.FromSeconds(20)));
        DateTimeOffset.UtcNow.ShouldBeGreaterThanOrEqualTo(expiresAt.AddMilliseconds(-50));

        using var after = await client.GetAsync("/api/projects");
        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UserDisabled_TheirStreamsCloseAndEveryTokenOfTheirsIsRefused()
    {
        var token = await TestUsers.AddAsync(Server, "dana", Roles.Admin);
        using var client = Server.CreateClient(token);
        await using var stream = await SseClient.ConnectAsync(client, "/api/stream");
        var socket = await ConnectAsync(token);
        (await socket.RequestAsync("project_list")).GetProperty("type").GetString().ShouldBe("project_list_response");

        // What the users API does when it disables someone: the store first, then the revocations.
        var users = Server.Service<IUserStore>();
        var dana = (await users.FindAsync("u_dana"))!;
        await users.UpdateAsync(dana with { DisabledAt = DateTimeOffset.UtcNow });
        Server.Service<AccessRevocations>().UserChanged("u_dana", "user disabled").ShouldBe(2);

        await Should.ThrowAsync<EndOfStreamException>(() => stream.NextAsync(Second));
        (await socket.ClosedAsync().WaitAsync(Second)).ShouldBe(WebSocketCloseStatus.PolicyViolation);
        socket.CloseDescription.ShouldBe("user disabled");
        (await client.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
