using Overseer.Storage.Sqlite;
using static Overseer.Storage.Tests.Events;

namespace Overseer.Storage.Tests;

public sealed class SearchTests
{
    private static Task<IReadOnlyList<SearchHit>> SearchAsync(TestStore t, string text) =>
        new SqliteSessionSearch(t.Database).SearchAsync(SearchQuery.Parse(text), 10);

    [Fact]
    public async Task Search_TextsStoredBeforeTheIndexExisted_AreBackFilledByTheMigration()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(SessionCreated("s1", "p1", prompt: "Port the parser"), Text("s1", "The axolotl test passes now."));
        await using (var connection = await t.Database.OpenAsync())
        using (var command = connection.CreateCommand())
        {
            // The database as an older Overseer left it (the log holds the texts, no index exists), then the migration.
            command.CommandText = "DROP TABLE search_text;" + SqliteSearchIndex.Migration;
            await command.ExecuteNonQueryAsync();
        }

        var hit = (await SearchAsync(t, "axolotl")).ShouldHaveSingleItem();
        (hit.SessionId, hit.Source).ShouldBe(("s1", "agent"));
        (await SearchAsync(t, "parser")).ShouldHaveSingleItem().Source.ShouldBe("prompt");
    }

    [Fact]
    public async Task Search_NewEvents_AreIndexedInTheirOwnAppend()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(SessionCreated("s1", "p1"), SessionCreated("s2", "p1"));
        await t.AppendAsync(Text("s2", "Café crème for the team"), Text("s1", "tea only"));

        // Diacritics do not matter, and the query is plain words whatever it holds.
        (await SearchAsync(t, "CAFE")).ShouldHaveSingleItem().SessionId.ShouldBe("s2");
        (await SearchAsync(t, "crè*")).ShouldHaveSingleItem().SessionId.ShouldBe("s2");
        (await SearchAsync(t, "tea NEAR(only)")).ShouldBeEmpty();
        (await SearchAsync(t, "tea only")).ShouldHaveSingleItem().SessionId.ShouldBe("s1");
    }

    [Theory]
    [InlineData("hello world", "\"hello\" \"world\"")]
    [InlineData("\"exact phrase\" more*", "\"exact phrase\" \"more\"*")]
    [InlineData("NEAR(a b) OR c:d", "\"NEAR\" \"a\" \"b\" \"OR\" \"c\" \"d\"")]
    [InlineData("\"unbalanced quote", "\"unbalanced quote\"")]
    [InlineData("* \" ( ) ^ -", "")]
    public void ToMatch_AnyText_BecomesQuotedTerms(string typed, string match) =>
        SqliteSessionSearch.ToMatch(SearchQuery.Parse(typed)).ShouldBe(match);
}
