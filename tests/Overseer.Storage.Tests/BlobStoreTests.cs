using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage.Sqlite;
using static Overseer.Storage.Tests.Events;

namespace Overseer.Storage.Tests;

/// <summary>A long text is stored once as a blob of its session, in the transaction of the event that refers to it.</summary>
public sealed class BlobStoreTests
{
    [Fact]
    public async Task AppendAsync_EventWithABlob_TheWholeTextReadsBackByteForByte()
    {
        await using var t = await TestStore.OpenAsync();
        var text = string.Concat(Enumerable.Repeat("line «ünïcode» 😀 \u2603\n", 50_000));
        var blob = NewBlob.Of(text);

        await t.AppendAsync(Preview("s1", text, blob));

        var bytes = (await new SqliteBlobReader(t.Database).ReadBlobAsync("s1", blob.Id)).ShouldNotBeNull();
        bytes.ShouldBe(Encoding.UTF8.GetBytes(text));
        blob.Id.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        (await BlobRowsAsync(t)).ShouldBe([("s1", blob.Id, (long)text.Length)]);
    }

    [Fact]
    public async Task AppendAsync_SameTextTwiceInASession_IsStoredOnce_AndOnceMoreForAnotherSession()
    {
        await using var t = await TestStore.OpenAsync();
        var blob = NewBlob.Of(new string('x', 100_000));

        await t.AppendAsync(Preview("s1", blob.Text, blob));
        await t.AppendAsync(Preview("s1", blob.Text, blob), Preview("s2", blob.Text, blob));

        (await BlobRowsAsync(t)).ShouldBe([("s1", blob.Id, 100_000L), ("s2", blob.Id, 100_000L)]);
    }

    [Fact]
    public async Task ReadBlobAsync_BlobOfAnotherSession_IsNotFound()
    {
        await using var t = await TestStore.OpenAsync();
        var blob = NewBlob.Of(new string('y', 20_000));
        await t.AppendAsync(Preview("s1", blob.Text, blob));

        var reader = new SqliteBlobReader(t.Database);

        (await reader.ReadBlobAsync("s2", blob.Id)).ShouldBeNull();
        (await reader.ReadBlobAsync("s1", NewBlob.IdOf("something else"))).ShouldBeNull();
    }

    [Fact]
    public async Task AppendAsync_BlobInACallThatFails_IsNotStoredEither()
    {
        await using var t = await TestStore.OpenAsync();
        var blob = NewBlob.Of(new string('z', 20_000));

        // One call is one transaction: its bad second event takes the first event and its blob with it.
        await Should.ThrowAsync<EventStoreException>(() =>
            t.AppendAsync(Preview("s1", blob.Text, blob), new NewEvent("s1", EventTypes.AgentText, Actor, default)));

        (await t.ReadAllAsync()).ShouldBeEmpty();
        (await BlobRowsAsync(t)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AppendAsync_BlobOnAnEventOutsideASession_FailsAndStoresNothing()
    {
        await using var t = await TestStore.OpenAsync();
        var blob = NewBlob.Of("whole");

        var ex = await Should.ThrowAsync<EventStoreException>(() => t.AppendAsync(Preview(null, "whole", blob)));

        ex.Message.ShouldContain("no session");
        (await t.ReadAllAsync()).ShouldBeEmpty();
        (await BlobRowsAsync(t)).ShouldBeEmpty();
    }

    [Fact]
    public async Task InitializeAsync_DatabaseFromBeforeBlobs_GainsTheTableAndKeepsItsEvents()
    {
        await using var t = await TestStore.OpenAsync();
        await t.AppendAsync(Text("s1", "from an older Overseer"));
        // The database as the version before blobs left it: no blobs table, and none of the
        // steps after it (one collection of pending items, hibernation, idempotency keys, search,
        // interruption causes, users, templates, permissions, audit, passkeys and external logins, notifications,
        // schedules and retries, tasks, budgets, triggers, monitoring), so those run again too.
        await using (var connection = await t.Database.OpenAsync())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                DROP TABLE budgets;
                DROP TABLE budget_spend;
                DROP TABLE budget_warnings;
                DROP TABLE budget_overruns;
                DROP INDEX ix_sessions_template;
                DROP INDEX ix_sessions_project_created;
                DROP TABLE blobs;
                DROP TABLE trigger_deliveries;
                DROP TABLE triggers;
                ALTER TABLE sessions DROP COLUMN trigger_id;
                ALTER TABLE sessions DROP COLUMN source_url;
                DROP INDEX ix_sessions_schedule_run;
                DROP INDEX ix_sessions_retry_of;
                DROP INDEX ix_sessions_first_attempt;
                ALTER TABLE sessions DROP COLUMN schedule_id;
                ALTER TABLE sessions DROP COLUMN schedule_run_id;
                ALTER TABLE sessions DROP COLUMN retry_policy;
                ALTER TABLE sessions DROP COLUMN attempt;
                ALTER TABLE sessions DROP COLUMN retry_of;
                ALTER TABLE sessions DROP COLUMN first_attempt_id;
                DROP TABLE schedule_runs;
                DROP TABLE schedules;
                DROP TABLE session_retries;
                DROP INDEX ix_sessions_type;
                ALTER TABLE sessions DROP COLUMN title;
                ALTER TABLE sessions DROP COLUMN description;
                ALTER TABLE sessions DROP COLUMN type;
                ALTER TABLE sessions DROP COLUMN phase;
                ALTER TABLE sessions DROP COLUMN phase_index;
                ALTER TABLE sessions DROP COLUMN phase_total;
                ALTER TABLE sessions DROP COLUMN percent;
                ALTER TABLE sessions DROP COLUMN step_text;
                ALTER TABLE sessions DROP COLUMN step;
                ALTER TABLE sessions DROP COLUMN steps;
                ALTER TABLE sessions DROP COLUMN progress_at;
                ALTER TABLE projects DROP COLUMN operators_may_approve_red;
                ALTER TABLE sessions DROP COLUMN started_by;
                ALTER TABLE sessions DROP COLUMN started_by_name;
                DROP TABLE audit;
                DROP TABLE notification_attempts;
                DROP TABLE notifications;
                DROP TABLE notification_channels;
                DROP TABLE notification_outbox;
                DROP TABLE action_link_uses;
                DROP TABLE monitor_definitions;
                DROP TABLE check_samples;
                DROP TABLE check_rollups;
                DROP TABLE alerts;
                DROP TABLE pending_items;
                DROP TABLE idempotency_keys;
                DROP TABLE search_text;
                DROP TABLE templates;
                DROP TABLE template_usage;
                ALTER TABLE sessions DROP COLUMN template_id;
                DROP TABLE passkeys;
                DROP TABLE external_logins;
                DROP TABLE project_members;
                DROP TABLE users;
                DROP INDEX api_tokens_by_user;
                ALTER TABLE api_tokens DROP COLUMN user_id;
                ALTER TABLE api_tokens DROP COLUMN expires_at;
                ALTER TABLE api_tokens DROP COLUMN revoked_at;
                ALTER TABLE api_tokens DROP COLUMN last_used_at;
                ALTER TABLE sessions DROP COLUMN resume_note;
                ALTER TABLE sessions DROP COLUMN hibernated;
                ALTER TABLE sessions DROP COLUMN interrupted_by;
                ALTER TABLE sessions ADD COLUMN pending_approvals INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE sessions ADD COLUMN pending_questions INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE sessions ADD COLUMN pending_dependencies INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE sessions ADD COLUMN pending_reviews INTEGER NOT NULL DEFAULT 0;
                DELETE FROM schema_migrations WHERE version >= $v;
                """;
            command.Parameters.AddWithValue("$v", SqliteMigrations.LatestVersion - 16);
            await command.ExecuteNonQueryAsync();
        }

        await t.ReopenAsync();
        var blob = NewBlob.Of(new string('n', 30_000));
        await t.AppendAsync(Preview("s1", blob.Text, blob));

        (await t.ReadAllAsync()).Select(e => e.SessionSeq).ShouldBe([1L, 2]);
        (await new SqliteBlobReader(t.Database).ReadBlobAsync("s1", blob.Id)).ShouldBe(Encoding.UTF8.GetBytes(blob.Text));
    }

    private static NewEvent Preview(string? sessionId, string text, NewBlob blob) =>
        new(sessionId, EventTypes.AgentText, Actor, JsonSerializer.SerializeToElement(
            new AgentTextData(text[..Math.Min(text.Length, 1024)], Truncated: true, FullLength: text.Length, BlobId: blob.Id), OverseerJson.Default.AgentTextData))
        { Blobs = [blob] };

    private static async Task<List<(string SessionId, string Id, long Length)>> BlobRowsAsync(TestStore t)
    {
        await using var connection = await t.Database.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT session_id, id, length FROM blobs ORDER BY session_id, id";
        var rows = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return rows;
    }
}
