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

    [Theory]
    [InlineData("Glob", """{"pattern": "**X", "path": "~/"}""")]
    [InlineData("Bash", """{"command": "ls X"}""")]
    [InlineData("Read", """{"fiXe_path": "a.txt"}""")]
    public void Evaluate_InputWithInvalidUtf8_IsOrangeAndNothingThrows(string tool, string json)
    {
        // Found by tools/fuzz (policy): the Unicode check read the input's raw text, which threw on the bad bytes.
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        bytes[bytes.AsSpan().IndexOf("X"u8)] = 0x80;
        using var document = System.Text.Json.JsonDocument.Parse(bytes);

        var decision = _fixture.Engine.Evaluate(tool, document.RootElement, _fixture.Sandbox.Context);

        decision.Tier.ShouldBe(Tier.Orange, decision.ToString());
        decision.Rule.ShouldBe("input.invalid-text");
    }

    [Theory]
    [InlineData("cp -r a\u0000b dest", "ORANGE")]
    [InlineData("mv x\u0000 y", "ORANGE")]
    [InlineData("ls\u0000; rm -rf ~", "BLACK")]
    [InlineData("rm -r\u0000f ~", "BLACK")]
    public void Evaluate_BashCommandWithANulCharacter_IsAtLeastOrangeAndNothingThrows(string command, string expected)
    {
        // Found by tools/fuzz (policy): cp -r looked for a symlink named with the NUL and the file API threw.
        var decision = _fixture.Engine.Evaluate("Bash", System.Text.Json.JsonSerializer.SerializeToElement(new { command }), _fixture.Sandbox.Context);

        decision.Tier.ToWire().ShouldBe(expected, decision.ToString());
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
