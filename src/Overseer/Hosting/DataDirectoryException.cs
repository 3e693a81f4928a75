namespace Overseer.Hosting;

/// <summary>The data directory cannot be made private; start-up stops with this message.</summary>
internal sealed class DataDirectoryException(string message, Exception inner) : Exception(message, inner);
