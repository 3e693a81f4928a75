namespace Overseer.Hosting;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest request body accepted; larger ones answer 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}
