using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety;

public sealed class PolicyEngineTests : IClassFixture<PolicyEngineTests.Fixture>
{
    private readonly Fixture _fixture;

    public PolicyEngineTests(Fixture fixture) => _fixture = fixture;

    public static TheoryData<string, string, string, string?> Cases => ClassificationCases.All;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_ClassificationTable_GivesExpectedTier(string tool, string input, string expected, string? rule)
    {
        var decision = _fixture.Sandbox.Evaluate(_fixture.Engine, tool, input);

        if (expected.StartsWith(">=", StringComparison.Ordinal))
        {
            TierExtensions.TryParse(expected[2..], out var floor).ShouldBeTrue();
            ((int)decision.Tier).ShouldBeGreaterThanOrEqualTo((int)floor, decision.ToString());
        }
        else
        {
            decision.Tier.ToWire().ShouldBe(expected, decision.ToString());
        }
        if (rule is not null)
            decision.Rule.ShouldBe(rule, decision.ToString());
        decision.Reason.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void ClassificationTable_HasAtLeast150Cases()
    {
        ClassificationCases.All.Count().ShouldBeGreaterThanOrEqualTo(150);
    }

    [Fact]
    public void Evaluate_ChainedCommand_ReasonNamesTheDecidingSubCommand()
    {
        var decision = _fixture.Sandbox.Evaluate(_fixture.Engine, "Bash", "echo ok && git push --force");

        decision.Reason.ShouldContain("git push --force");
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Engine = new PolicyEngine(PolicyLoader.Default with { UrlAllowList = ["learn.microsoft.com", "*.github.com"] });
        }

        public PolicySandbox Sandbox { get; } = new();

        public PolicyEngine Engine { get; }

        public void Dispose() => Sandbox.Dispose();
    }
}
