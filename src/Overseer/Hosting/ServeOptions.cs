namespace Overseer.Hosting;

/// <summary>What <c>overseer serve</c> was asked for on its command line.</summary>
public sealed record ServeOptions(string DataDir, string Urls, IReadOnlyDictionary<string, string?>? Settings = null)
{
    public const string DefaultUrls = "http://127.0.0.1:7700";
}
