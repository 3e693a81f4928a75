using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class AuthTests : ServerTest
{
    public static TheoryData<string> BadTokens => new() { "", "wrong", "Bearer", "Bearer ovs_not-a-real-token", "Basic YWRtaW46YWRtaW4=" };

    private IEnumerable<(string Method, string Path)> ApiRoutes()
    {
        // Every route the server maps under /api, found from the routing table itself, so a
        // route added later without auth fails this test.
        var endpoints = Server.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            // Open on purpose (the health check, also at /api/health): everything else needs a token.
            if (!pattern.StartsWith("/api", StringComparison.Ordinal) || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
                continue;
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", "x");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
                yield return (method, path);
        }
    }

    [Fact]
    public async Task EveryApiRoute_WithoutToken_Answers401ProblemDetails()
    {
        var routes = ApiRoutes().ToList();
        routes.Count.ShouldBeGreaterThan(10);
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            using var response = await anonymous.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
            var problem = await response.ProblemAsync();
            problem.GetProperty("code").GetString().ShouldBe("UNAUTHORIZED");
        }
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task EveryApiRoute_WithWrongToken_Answers401(string header)
    {
        using var client = new HttpClient { BaseAddress = Server.Address };
        foreach (var (method, path) in ApiRoutes())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var response = await client.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path} with '{header}'");
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/health")]
    public async Task Health_WithoutToken_IsOpenAndReportsStore(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        var health = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync(path)).RootElement;
        health.GetProperty("status").GetString().ShouldBe("ok");
        health.GetProperty("store").GetProperty("status").GetString().ShouldBe("ok");
        health.GetProperty("runtimes").GetProperty("scripted").GetString()!.ShouldStartWith("available");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task AdminToken_FirstStart_IsWrittenOwnerOnlyAndOnlyItsHashIsStored()
    {
        var file = Path.Combine(DataDir, "admin.token");
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Server.Token.ShouldStartWith("ovs_");
        Server.Token.Length.ShouldBeGreaterThan(40);
        var database = await File.ReadAllBytesAsync(Path.Combine(DataDir, "overseer.db"));
        var wal = File.Exists(Path.Combine(DataDir, "overseer.db-wal")) ? await File.ReadAllBytesAsync(Path.Combine(DataDir, "overseer.db-wal")) : [];
        var plain = System.Text.Encoding.UTF8.GetBytes(Server.Token);
        database.AsSpan().IndexOf(plain).ShouldBe(-1);
        wal.AsSpan().IndexOf(plain).ShouldBe(-1);
        (await Client.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminToken_Restart_KeepsTheSameTokenValid()
    {
        var token = Server.Token;
        await RestartAsync();
        Server.Token.ShouldBe(token);
        using var client = Server.CreateClient(token);
        (await client.GetAsync("/api/sessions")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnknownApiRoute_WithToken_Answers404ProblemDetails()
    {
        using var response = await Client.GetAsync("/api/nothing-here");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("NOT_FOUND");
    }

    [Fact]
    public async Task Stream_WithoutToken_Answers401()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        anonymous.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        (await anonymous.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
