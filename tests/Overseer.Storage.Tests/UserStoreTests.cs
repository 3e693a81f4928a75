using Overseer.Storage.Sqlite;

namespace Overseer.Storage.Tests;

public sealed class UserStoreTests
{
    private static UserRecord User(string id, string name, string role = "operator") => new(id, name, role, null, DateTimeOffset.UtcNow);

    private static async Task AddProjectAsync(TestStore t, string id)
    {
        await using var connection = await t.Database.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO projects(id, name, path, created_at) VALUES ($id, $id, '/tmp/' || $id, 0)";
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Names_AreUniqueRegardlessOfCase()
    {
        await using var t = await TestStore.OpenAsync();
        var users = new SqliteUserStore(t.Database);
        (await users.AddAsync(User("u1", "Dana"))).ShouldBeTrue();
        (await users.AddAsync(User("u2", "dana"))).ShouldBeFalse();
        (await users.FindByNameAsync("DANA"))!.Id.ShouldBe("u1");
        (await users.ListAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Memberships_AreSetChangedAndRemoved_AndGoWithTheirUserOrProject()
    {
        await using var t = await TestStore.OpenAsync();
        var users = new SqliteUserStore(t.Database);
        await AddProjectAsync(t, "p1");
        await AddProjectAsync(t, "p2");
        await users.AddAsync(User("u1", "dana"));
        await users.AddAsync(User("u2", "erin"));

        await users.SetMembershipAsync("p1", "u1", "viewer");
        await users.SetMembershipAsync("p1", "u1", "operator");
        await users.SetMembershipAsync("p2", "u1", "viewer");
        await users.SetMembershipAsync("p1", "u2", "viewer");
        (await users.MembershipsAsync(userId: "u1")).ShouldBe([new ProjectMembership("p1", "u1", "operator"), new ProjectMembership("p2", "u1", "viewer")]);
        (await users.MembershipsAsync(projectId: "p1")).Select(m => m.UserId).ShouldBe(["u1", "u2"]);

        await users.SetMembershipAsync("p2", "u1", null);
        (await users.MembershipsAsync(userId: "u1")).ShouldHaveSingleItem().ProjectId.ShouldBe("p1");

        (await users.RemoveAsync("u1", DateTimeOffset.UtcNow)).ShouldBeTrue();
        (await users.RemoveAsync("u1", DateTimeOffset.UtcNow)).ShouldBeFalse();
        (await users.MembershipsAsync()).ShouldBe([new ProjectMembership("p1", "u2", "viewer")]);
    }

    [Fact]
    public async Task DatabaseFromBeforeUsers_ItsAdminTokenBecomesTheFirstOwners()
    {
        // The two tables the users step changes, as the versions before it left them.
        var path = Path.Combine(Path.GetTempPath(), "overseer-users-migration-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
            {
                await connection.OpenAsync();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
                    CREATE TABLE api_tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
                    INSERT INTO api_tokens(id, name, role, hash, created_at) VALUES ('t_admin', 'admin', 'admin', 'abc', 5);
                    """ + UsersMigration.Sql;
                await command.ExecuteNonQueryAsync();
            }

            var database = new SqliteDatabase(path);
            var owner = (await new SqliteUserStore(database).ListAsync()).ShouldHaveSingleItem();
            owner.Name.ShouldBe("admin");
            owner.Role.ShouldBe("owner");
            var token = (await new SqliteApiTokenStore(database).FindByHashAsync("abc"))!;
            token.UserId.ShouldBe(owner.Id);
            token.Role.ShouldBe("owner");
            token.RevokedAt.ShouldBeNull();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task EmptyDatabase_GainsNoUserFromTheMigration()
    {
        await using var t = await TestStore.OpenAsync();
        (await new SqliteUserStore(t.Database).AnyAsync()).ShouldBeFalse();
    }
}
