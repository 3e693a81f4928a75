namespace Overseer.Contracts.Text;

/// <summary>System.Text.Json's exception messages, trimmed for a client to read.</summary>
public static class JsonMessages
{
    /// <summary>The message without its " Path: ... | LineNumber: ..." tail (the field is reported on its own).</summary>
    public static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
