namespace Overseer.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>SQLite database file; defaults to <c>&lt;data&gt;/overseer.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>NORMAL survives a crash of Overseer; FULL also survives power loss.</summary>
    public string Synchronous { get; set; } = "NORMAL";

    /// <summary>Most appends committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 2048;

    /// <summary>How often the WAL is checkpointed into the database file (off the write path).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pending appends before writers wait (back-pressure on agents, never on readers).</summary>
    public int WriteQueueCapacity { get; set; } = 65536;
}
