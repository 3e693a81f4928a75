namespace Overseer.Runtimes.Tests;

/// <summary>The anthropic world, a web page to fetch, and a directory outside every project holding a secret.</summary>
public sealed class ToolsFixture : AnthropicFixture
{
    public const string Secret = "TOP-SECRET-7731";

    public PageServer Page { get; private set; } = null!;

    /// <summary>Beside the projects, not inside any: what a session must never reach.</summary>
    public string OutsideDir => Path.GetFullPath(Path.Combine(DataDir, "..", "outside"));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Page = await PageServer.StartAsync();
        Directory.CreateDirectory(OutsideDir);
        await File.WriteAllTextAsync(Path.Combine(OutsideDir, "secret.txt"), Secret + "\nsecond line\n");
    }

    public override async Task DisposeAsync()
    {
        await Page.DisposeAsync();
        await base.DisposeAsync();
    }
}
