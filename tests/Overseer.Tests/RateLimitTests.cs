using System.Globalization;
using System.Net;
using Overseer.Contracts.Api;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>A token's own bucket: 3 requests at once, one more a second.</summary>
public sealed class RateLimitTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:PerToken:Burst"] = "3",
        ["RateLimits:PerToken:PermitsPerSecond"] = "1",
    };

    [Fact]
    public async Task PastItsBurst_AToken_Gets429WithRetryAfterAndAProblemNamingTheLimit_WhileAnotherTokenGoesOn()
    {
        var second = await TestUsers.CreateTokenAsync(Client, """{"name":"second"}""");
        using var refused = await RateLimitAssert.FirstRefusalAsync(Client);
        await RateLimitAssert.NamesAsync(refused, "RateLimits:PerToken");

        // Another token of the same user has its own bucket.
        using var other = Server.CreateClient(second.Token);
        (await other.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_IsNotLimited()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        for (var i = 0; i < 10; i++)
            (await anonymous.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>A user's bucket, shared by all of their tokens: 4 requests at once, one more a second.</summary>
public sealed class UserRateLimitTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:PerUser:Burst"] = "4",
        ["RateLimits:PerUser:PermitsPerSecond"] = "1",
    };

    [Fact]
    public async Task TwoTokensOfOneUser_ShareTheUsersBucket_And429NamesThePerUserLimit()
    {
        var second = await TestUsers.CreateTokenAsync(Client, """{"name":"second"}""");
        using var other = Server.CreateClient(second.Token);
        (await Client.GetAsync("/api/projects")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await RateLimitAssert.FirstRefusalAsync(other);
        await RateLimitAssert.NamesAsync(refused, "RateLimits:PerUser");
    }
}

internal static class RateLimitAssert
{
    /// <summary>The first 429 of a quick run of requests (the buckets refill once a second, so 20 are plenty).</summary>
    public static async Task<HttpResponseMessage> FirstRefusalAsync(HttpClient client)
    {
        for (var i = 0; i < 20; i++)
        {
            var response = await client.GetAsync("/api/projects");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return response;
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Dispose();
        }
        throw new ShouldAssertException("20 quick requests were all let through.");
    }

    public static async Task NamesAsync(HttpResponseMessage refused, string setting)
    {
        int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture).ShouldBeInRange(1, 5);
        var problem = await refused.ProblemAsync();
        problem.GetProperty("status").GetInt32().ShouldBe(429);
        problem.GetProperty("code").GetString().ShouldBe(ErrorCodes.RateLimited);
        problem.GetProperty("detail").GetString()!.ShouldContain(setting);
    }
}
