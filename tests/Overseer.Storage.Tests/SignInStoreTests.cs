using Overseer.Storage.Sqlite;

namespace Overseer.Storage.Tests;

public sealed class SignInStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Passkeys_AreListedPerUser_AndOnlyTheirOwnerRenamesOrRemovesThem()
    {
        await using var t = await TestStore.OpenAsync();
        var users = new SqliteUserStore(t.Database);
        await users.AddAsync(new UserRecord("u_1", "ana", "operator", null, Now));
        await users.AddAsync(new UserRecord("u_2", "bo", "viewer", null, Now));
        var passkeys = new SqlitePasskeyStore(t.Database);

        (await passkeys.AddAsync(new PasskeyRecord([1, 2, 3], "u_1", [9, 9], 0, "laptop", Now))).ShouldBeTrue();
        (await passkeys.AddAsync(new PasskeyRecord([1, 2, 3], "u_2", [8], 0, "stolen id", Now))).ShouldBeFalse("a credential id belongs to one user");
        await passkeys.RecordUseAsync([1, 2, 3], 7, Now.AddMinutes(1));

        var found = (await passkeys.FindAsync([1, 2, 3]))!;
        found.UserId.ShouldBe("u_1");
        found.PublicKey.ShouldBe(new byte[] { 9, 9 });
        found.SignCount.ShouldBe(7u);
        found.LastUsedAt.ShouldBe(Now.AddMinutes(1));
        (await passkeys.RenameAsync("u_2", [1, 2, 3], "mine now")).ShouldBeFalse();
        (await passkeys.RemoveAsync("u_2", [1, 2, 3])).ShouldBeFalse();
        (await passkeys.RenameAsync("u_1", [1, 2, 3], "work laptop")).ShouldBeTrue();
        (await passkeys.ListAsync("u_1")).Single().Name.ShouldBe("work laptop");
        (await passkeys.ListAsync("u_2")).ShouldBeEmpty();
    }

    [Fact]
    public async Task RemovingAUser_RemovesTheirPasskeysAndLinkedAccounts()
    {
        await using var t = await TestStore.OpenAsync();
        var users = new SqliteUserStore(t.Database);
        var logins = new SqliteExternalLoginStore(t.Database);
        var passkeys = new SqlitePasskeyStore(t.Database);
        (await logins.AddWithUserAsync(new UserRecord("u_1", "ana", "viewer", null, Now), new ExternalLoginRecord("https://idp", "sub-1", "", Now)))
            .ShouldBe(ExternalUserCreation.Created);
        await passkeys.AddAsync(new PasskeyRecord([4], "u_1", [1], 0, "key", Now));

        await users.RemoveAsync("u_1", Now);

        (await logins.FindAsync("https://idp", "sub-1")).ShouldBeNull();
        (await passkeys.FindAsync([4])).ShouldBeNull();
    }

    [Fact]
    public async Task AddWithUserAsync_NameTakenOrAccountLinked_LeavesNoUserBehind()
    {
        await using var t = await TestStore.OpenAsync();
        var users = new SqliteUserStore(t.Database);
        var logins = new SqliteExternalLoginStore(t.Database);
        await users.AddAsync(new UserRecord("u_1", "ana", "viewer", null, Now));

        (await logins.AddWithUserAsync(new UserRecord("u_2", "ANA", "viewer", null, Now), new ExternalLoginRecord("https://idp", "sub-2", "", Now)))
            .ShouldBe(ExternalUserCreation.NameTaken);
        (await logins.FindAsync("https://idp", "sub-2")).ShouldBeNull();

        (await logins.AddWithUserAsync(new UserRecord("u_3", "cy", "viewer", null, Now), new ExternalLoginRecord("https://idp", "sub-3", "", Now)))
            .ShouldBe(ExternalUserCreation.Created);
        (await logins.AddWithUserAsync(new UserRecord("u_4", "cy2", "viewer", null, Now), new ExternalLoginRecord("https://idp", "sub-3", "", Now)))
            .ShouldBe(ExternalUserCreation.AlreadyLinked);

        (await users.ListAsync()).Select(u => u.Id).ShouldBe(["u_1", "u_3"], ignoreOrder: true);
        (await logins.FindAsync("https://idp", "sub-3"))!.UserId.ShouldBe("u_3");
    }
}
