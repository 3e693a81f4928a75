using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety;

public sealed class PolicyRuleTests : IDisposable
{
    private readonly PolicySandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private PolicyEngine Load(string yaml) => new(PolicyLoader.Load(_sandbox.WriteFile("policy.yaml", yaml)));

    [Fact]
    public void Evaluate_FileRuleRaisesTier_RuleDecides()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [docker]\n    tier: RED\n    reason: containers are off limits\n");

        var decision = _sandbox.Evaluate(engine, "Bash", "echo hi && docker ps");

        decision.Tier.ShouldBe(Tier.Red);
        decision.Rule.ShouldEndWith("policy.yaml#rules[0]");
        decision.Reason.ShouldContain("containers are off limits");
    }

    [Fact]
    public void Evaluate_FileRuleLowersOrange_RuleDecides()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [npm, install]\n    tier: YELLOW\n");

        _sandbox.Evaluate(engine, "Bash", "npm install left-pad").Tier.ShouldBe(Tier.Yellow);
        _sandbox.Evaluate(engine, "Bash", "npm publish").Tier.ShouldBe(Tier.Orange);
    }

    [Fact]
    public void Evaluate_FileRuleCannotLowerBlack_BlackStaysAndSaysSo()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [rm]\n    tier: GREEN\n  - tool: Read\n    tier: GREEN\n");

        var rm = _sandbox.Evaluate(engine, "Bash", "rm -rf /");
        var read = _sandbox.Evaluate(engine, "Read", "{\"file_path\":\"{data}/overseer.db\"}");

        rm.Tier.ShouldBe(Tier.Black);
        rm.Rule.ShouldBe("bash.rm-root");
        rm.Reason.ShouldContain("cannot lower a BLACK built-in");
        read.Tier.ShouldBe(Tier.Black);
        read.Reason.ShouldContain("cannot lower a BLACK built-in");
        _sandbox.Evaluate(engine, "Bash", "rm -rf build").Tier.ShouldBe(Tier.Green);
    }

    [Fact]
    public void Evaluate_ProjectScopedRule_AppliesOnlyInItsProject()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [curl]\n    tier: YELLOW\n    project: {project}\n");
        var other = new PolicyContext(_sandbox.Outside, _sandbox.Data, _sandbox.Home);
        using var input = System.Text.Json.JsonDocument.Parse("{\"command\":\"curl https://example.com\"}");

        _sandbox.Evaluate(engine, "Bash", "curl https://example.com").Tier.ShouldBe(Tier.Yellow);
        engine.Evaluate("Bash", input.RootElement, other).Tier.ShouldBe(Tier.Orange);
    }

    [Fact]
    public void Evaluate_ProjectScopedRule_ComesBeforeGlobalRule()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [docker]\n    tier: RED\n  - tool: Bash\n    command: [docker]\n    tier: YELLOW\n    project: {project}\n");

        _sandbox.Evaluate(engine, "Bash", "docker ps").Tier.ShouldBe(Tier.Yellow);
        engine.EffectiveRules(_sandbox.Project)[0].Project.ShouldBe(_sandbox.Project);
    }

    [Fact]
    public void Evaluate_McpGlobRule_MatchesMcpTools()
    {
        var engine = Load("rules:\n  - tool: \"mcp__github__*\"\n    tier: YELLOW\n");

        _sandbox.Evaluate(engine, "mcp__github__create_issue", "{}").Tier.ShouldBe(Tier.Yellow);
        _sandbox.Evaluate(engine, "mcp__slack__post", "{}").Tier.ShouldBe(Tier.Orange);
    }

    [Fact]
    public void Evaluate_RuleWithFlags_MatchesOnlyWithThoseFlags()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [git, push]\n    flags: [--dry-run]\n    tier: GREEN\n");

        _sandbox.Evaluate(engine, "Bash", "git push --dry-run").Tier.ShouldBe(Tier.Green);
        _sandbox.Evaluate(engine, "Bash", "git push").Tier.ShouldBe(Tier.Orange);
    }

    [Fact]
    public void Evaluate_RuleWithPaths_MatchesResolvedPaths()
    {
        var engine = Load("rules:\n  - tool: Write\n    paths: [\"{outside}/**\"]\n    tier: YELLOW\n");

        _sandbox.Evaluate(engine, "Write", "{\"file_path\":\"{outside}/a/b.txt\"}").Tier.ShouldBe(Tier.Yellow);
        _sandbox.Evaluate(engine, "Write", "{\"file_path\":\"/etc/x\"}").Tier.ShouldBe(Tier.Red);
    }

    [Fact]
    public void Evaluate_AllowListedUrlInPolicyFile_WebFetchIsYellow()
    {
        var engine = Load("urlAllowList: [docs.example.org]\n");

        _sandbox.Evaluate(engine, "WebFetch", "{\"url\":\"https://docs.example.org/a\"}").Tier.ShouldBe(Tier.Yellow);
    }

    [Fact]
    public void EffectiveRules_ListsFileRulesThenBuiltIns()
    {
        var engine = Load("rules:\n  - tool: Bash\n    command: [docker]\n    tier: RED\n");

        var rules = engine.EffectiveRules(_sandbox.Project);

        rules[0].BuiltIn.ShouldBeFalse();
        rules.Skip(1).ShouldAllBe(r => r.BuiltIn);
        rules.ShouldContain(r => r.Id == "bash.rm-root" && r.Tier == Tier.Black);
    }

    [Theory]
    [InlineData("GREEN", Tier.Green)]
    [InlineData("black", Tier.Black)]
    [InlineData("Orange", Tier.Orange)]
    public void TryParse_WireName_Parses(string text, Tier expected)
    {
        TierExtensions.TryParse(text, out var tier).ShouldBeTrue();
        tier.ShouldBe(expected);
        tier.ToWire().ShouldBe(text.ToUpperInvariant());
    }

    [Fact]
    public void TryParse_UnknownName_Fails()
    {
        TierExtensions.TryParse("PURPLE", out _).ShouldBeFalse();
    }
}
