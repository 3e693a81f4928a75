namespace Overseer.Core.Agents.Loop;

/// <summary>
/// A session's conversation as entries (see <see cref="TranscriptEntry"/>), kept by its loop. The
/// loop adds an entry exactly when it emits the event that records it, so the log and this list
/// never disagree; a compaction applies here as it applies when the log is read back.
/// </summary>
public sealed class Transcript
{
    private readonly List<TranscriptEntry> _entries = [];

    public Transcript(IEnumerable<TranscriptEntry>? entries = null)
    {
        foreach (var entry in entries ?? [])
            Add(entry);
    }

    public IReadOnlyList<TranscriptEntry> Entries => _entries;

    public int Count => _entries.Count;

    public void Add(TranscriptEntry entry)
    {
        if (entry is CompactedEntry compacted)
        {
            var kept = Math.Clamp(compacted.KeptEntries, 0, _entries.Count);
            var tail = _entries.GetRange(_entries.Count - kept, kept);
            _entries.Clear();
            _entries.Add(new SummaryEntry(compacted.Summary));
            _entries.AddRange(tail);
            return;
        }
        _entries.Add(entry);
    }

    /// <summary>
    /// The message that starts a turn. After the conversation was read back from the log, the log
    /// already holds it (the session stores a message before it hands it on): the copy read back
    /// (secrets redacted) gives way to the one sent.
    /// </summary>
    public void AddTurnMessage(string text, bool replaceStored)
    {
        if (replaceStored && _entries.Count > 0 && _entries[^1] is UserTextEntry)
            _entries.RemoveAt(_entries.Count - 1);
        _entries.Add(new UserTextEntry(text));
    }

    public List<ChatMessage> ToMessages() => ConversationBuilder.Build(_entries);

    /// <summary>About how many tokens the entries from <paramref name="start"/> on add to a prompt.</summary>
    public long EstimateTokens(int start = 0)
    {
        long total = 0;
        for (var i = start; i < _entries.Count; i++)
            total += _entries[i].EstimatedTokens;
        return total;
    }
}
