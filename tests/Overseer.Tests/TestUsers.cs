using System.Net;
using System.Text.Json;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Storage;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>People other than the bootstrap admin, added straight to the store (the users API is another branch's).</summary>
public static class TestUsers
{
    /// <summary>Adds user <paramref name="name"/> with <paramref name="role"/> and returns a first token of theirs.</summary>
    public static async Task<string> AddAsync(TestServer server, string name, string role, params string[] memberOf)
    {
        var users = server.Service<IUserStore>();
        var id = "u_" + name;
        (await users.AddAsync(new UserRecord(id, name, role, null, DateTimeOffset.UtcNow))).ShouldBeTrue();
        foreach (var projectId in memberOf)
            await users.SetMembershipAsync(projectId, id, role);
        server.Service<ProjectAccess>().Invalidate();
        var token = ApiTokens.Generate();
        await server.Service<IApiTokenStore>().AddAsync(new ApiTokenRecord("t_first_" + name, id, "first", role, ApiTokens.Hash(token), DateTimeOffset.UtcNow));
        return token;
    }

    /// <summary>Creates a token through the API with <paramref name="client"/>'s credentials.</summary>
    public static async Task<CreatedTokenDto> CreateTokenAsync(HttpClient client, string json)
    {
        using var response = await client.PostJsonAsync("/api/tokens", json);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), OverseerJson.Default.CreatedTokenDto)!;
    }
}
