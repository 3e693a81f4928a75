namespace Overseer.Storage;

/// <summary>Reads the whole texts events show only a preview of (see <c>NewEvent.Blobs</c>).</summary>
public interface IBlobReader
{
    /// <summary>The blob's UTF-8 content, or null when <paramref name="sessionId"/> has no blob <paramref name="blobId"/>.</summary>
    Task<byte[]?> ReadBlobAsync(string sessionId, string blobId, CancellationToken cancellationToken = default);
}
