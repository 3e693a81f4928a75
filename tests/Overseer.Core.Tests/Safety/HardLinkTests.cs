using System.Diagnostics;
using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety;

/// <summary>A hard link is the same file under another name: a project path can be a file in the data directory or outside.</summary>
public sealed class HardLinkTests : IDisposable
{
    private readonly PolicySandbox _sandbox = new();
    private readonly PolicyEngine _engine = new(PolicyLoader.Default);

    public HardLinkTests()
    {
        File.WriteAllText(Path.Combine(_sandbox.Data, "vault.key"), "secret");
        File.WriteAllText(Path.Combine(_sandbox.Outside, "notes.txt"), "notes");
        Link(Path.Combine(_sandbox.Data, "vault.key"), Path.Combine(_sandbox.Project, "linked.key"));
        Link(Path.Combine(_sandbox.Outside, "notes.txt"), Path.Combine(_sandbox.Project, "notes.txt"));
    }

    [Theory]
    [InlineData("cat linked.key")]
    [InlineData("cp linked.key copy.key")]
    [InlineData("echo x >> linked.key")]
    [InlineData("chmod 600 linked.key")]
    public void Evaluate_ProjectPathHardLinkedIntoTheDataDirectory_IsBlack(string command)
    {
        var decision = _sandbox.Evaluate(_engine, "Bash", command);

        decision.Tier.ShouldBe(Tier.Black, decision.ToString());
        decision.Rule.ShouldBe("builtin.data-dir");
    }

    [Fact]
    public void Evaluate_ReadToolOnHardLinkIntoTheDataDirectory_IsBlack()
    {
        var decision = _sandbox.Evaluate(_engine, "Read", "{\"file_path\":\"{project}/linked.key\"}");

        decision.Tier.ShouldBe(Tier.Black, decision.ToString());
    }

    [Fact]
    public void Evaluate_WriteToAFileWithOtherNames_IsRed()
    {
        var bash = _sandbox.Evaluate(_engine, "Bash", "echo x >> notes.txt");
        var write = _sandbox.Evaluate(_engine, "Write", "{\"file_path\":\"{project}/notes.txt\",\"content\":\"x\"}");

        bash.Tier.ShouldBe(Tier.Red, bash.ToString());
        bash.Rule.ShouldBe("bash.write-hardlink");
        write.Tier.ShouldBe(Tier.Red, write.ToString());
        write.Rule.ShouldBe("builtin.edit-hardlink");
    }

    [Fact]
    public void Evaluate_ReadOfAnOrdinaryProjectFile_StaysGreen()
    {
        var decision = _sandbox.Evaluate(_engine, "Bash", "cat README.md");

        decision.Tier.ShouldBe(Tier.Green, decision.ToString());
    }

    public void Dispose() => _sandbox.Dispose();

    private static void Link(string existing, string link)
    {
        using var process = Process.Start(new ProcessStartInfo("ln") { ArgumentList = { existing, link } })!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"ln {existing} {link}");
    }
}
