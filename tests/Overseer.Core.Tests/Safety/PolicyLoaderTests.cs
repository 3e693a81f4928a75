using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety;

public sealed class PolicyLoaderTests : IDisposable
{
    private readonly PolicySandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Load_ValidYaml_ReadsRulesAndAllowList()
    {
        var file = _sandbox.WriteFile("policy.yaml", """
            version: 1
            urlAllowList: [learn.microsoft.com, "*.github.com"]
            rules:
              - tool: Bash
                command: [npm, install]
                tier: YELLOW
                reason: installing packages is routine here
              - tool: "mcp__github__*"
                tier: yellow
              - tool: Bash
                command: docker
                tier: RED
                project: {project}
            """);

        var policy = PolicyLoader.Load(file);

        policy.UrlAllowList.ShouldBe(["learn.microsoft.com", "*.github.com"]);
        policy.Rules.Count.ShouldBe(3);
        policy.Rules[0].Command.ShouldBe(["npm", "install"]);
        policy.Rules[0].Tier.ShouldBe(Tier.Yellow);
        policy.Rules[0].Id.ShouldBe($"policy:{file}#rules[0]");
        policy.Rules[1].Tier.ShouldBe(Tier.Yellow);
        policy.Rules[2].Project.ShouldBe(_sandbox.Project);
    }

    [Fact]
    public void Load_ValidJson_ReadsRules()
    {
        var file = _sandbox.WriteFile("policy.json", """
            {
              "version": 1,
              "urlAllowList": ["docs.rs"],
              "rules": [
                { "tool": "Bash", "command": ["git", "push"], "tier": "RED", "reason": "pushes need a second look" }
              ]
            }
            """);

        var policy = PolicyLoader.Load(file);

        policy.Rules.ShouldHaveSingleItem().Tier.ShouldBe(Tier.Red);
        policy.UrlAllowList.ShouldBe(["docs.rs"]);
    }

    [Fact]
    public void Load_WrongTierName_NamesFileLineAndField()
    {
        var file = _sandbox.WriteFile("policy.yaml", "rules:\n  - tool: Bash\n    tier: GREEN\n  - tool: Read\n    tier: GREEN\n  - tool: Bash\n    command: [ls]\n    tier: PURPLE\n");

        var error = Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file));

        error.File.ShouldBe(file);
        error.Line.ShouldBe(8);
        error.Field.ShouldBe("rules[2].tier");
        error.Message.ShouldBe("policy.yaml:8: rules[2].tier: 'PURPLE' is not one of GREEN, YELLOW, ORANGE, RED, BLACK");
    }

    [Fact]
    public void Load_UnknownKey_NamesTheKey()
    {
        var file = _sandbox.WriteFile("policy.yaml", "rules:\n  - tool: Bash\n    tier: RED\n    comand: [rm]\n");

        var error = Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file));

        error.Line.ShouldBe(4);
        error.Field.ShouldBe("rules[0].comand");
        error.Message.ShouldContain("unknown key");
    }

    [Fact]
    public void Load_UnknownTopLevelKey_IsRejected()
    {
        var file = _sandbox.WriteFile("policy.json", "{\n  \"rulez\": []\n}");

        var error = Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file));

        error.Line.ShouldBe(2);
        error.Field.ShouldBe("rulez");
    }

    [Fact]
    public void Load_MissingTool_SaysToolIsRequired()
    {
        var file = _sandbox.WriteFile("policy.yaml", "rules:\n  - tier: RED\n    reason: no tool\n");

        var error = Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file));

        error.Line.ShouldBe(2);
        error.Field.ShouldBe("rules[0].tool");
        error.Message.ShouldContain("is required");
    }

    [Fact]
    public void Load_BadYamlSyntax_NamesTheLine()
    {
        var file = _sandbox.WriteFile("policy.yaml", "rules:\n  - tool: Bash\n    tier: [RED\n");

        var error = Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file));

        error.Line.ShouldBeGreaterThan(0);
        error.Message.ShouldStartWith("policy.yaml:");
        error.Message.ShouldContain("not valid YAML");
    }

    [Fact]
    public void Load_BadJsonSyntax_NamesTheLine()
    {
        var file = _sandbox.WriteFile("policy.json", "{\n  \"rules\": [\n    { \"tool\": \"Bash\" \"tier\": \"RED\" }\n  ]\n}");

        var error = Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file));

        error.Line.ShouldBe(3);
        error.Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void Load_CommandOnNonBashTool_IsRejected()
    {
        var file = _sandbox.WriteFile("policy.yaml", "rules:\n  - tool: Read\n    command: [cat]\n    tier: GREEN\n");

        Should.Throw<PolicyFileException>(() => PolicyLoader.Load(file)).Field.ShouldBe("rules[0].command");
    }

    [Fact]
    public void Load_MissingFile_Throws()
    {
        Should.Throw<PolicyFileException>(() => PolicyLoader.Load(Path.Combine(_sandbox.Project, "nope.yaml"))).Message.ShouldContain("cannot be read");
    }

    [Fact]
    public void Default_HasNoFileRules()
    {
        PolicyLoader.Default.Rules.ShouldBeEmpty();
    }
}
