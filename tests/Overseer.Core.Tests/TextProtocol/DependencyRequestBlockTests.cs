using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

public sealed class DependencyRequestBlockTests
{
    [Fact]
    public void Feed_SeedSample_ReadsAllFields()
    {
        Single<DependencyRequestBlock>(Dependency)
            .ShouldBe(new DependencyRequestBlock("api_key", "OPENAI_API_KEY", "Required for AI features", Required: true));
    }

    [Theory]
    [InlineData("required: false", false)]
    [InlineData("required: No", false)]
    [InlineData("required: yes", true)]
    [InlineData("required: TRUE", true)]
    [InlineData("", true)]
    public void Feed_RequiredSpellings_ReadsTheFlagAndDefaultsToTrue(string line, bool expected)
    {
        var block = Single<DependencyRequestBlock>($"[DEPENDENCY_REQUEST]\ntype: env_var\nname: DB_URL\n{line}\n[/DEPENDENCY_REQUEST]");

        block.Required.ShouldBe(expected);
        block.Description.ShouldBeNull();
    }

    [Fact]
    public void Feed_TypeInCapitalsAndQuotedName_NormalisesTypeKeepsName()
    {
        var block = Single<DependencyRequestBlock>("[DEPENDENCY_REQUEST]\nType:API_KEY\nname: 'Stripe_Key'\n[/DEPENDENCY_REQUEST]");

        block.Type.ShouldBe("api_key");
        block.Name.ShouldBe("Stripe_Key");
    }

    [Fact]
    public void Feed_DescriptionWithUrlOnNextLine_KeepsTheUrlAsText()
    {
        var block = Single<DependencyRequestBlock>("[DEPENDENCY_REQUEST]\ntype: api_key\nname: K\ndescription: Get one at\nhttps://example.com/keys\n[/DEPENDENCY_REQUEST]");

        block.Description.ShouldBe("Get one at\nhttps://example.com/keys");
    }

    [Fact]
    public void Feed_UnknownFields_Ignored()
    {
        var block = Single<DependencyRequestBlock>("[DEPENDENCY_REQUEST]\nscope: project\ntype: api_key\nurl: https://x\nname: K\n[/DEPENDENCY_REQUEST]");

        block.ShouldBe(new DependencyRequestBlock("api_key", "K", null, true));
    }

    [Theory]
    [InlineData("name: K\nrequired: true", "missing type")]
    [InlineData("type: api_key\ndescription: d", "missing name")]
    [InlineData("type: api_key\nname:   \nrequired: true", "missing name")]
    [InlineData("type: api_key\nname: K\nrequired: sometimes", "required must be true or false")]
    public void Feed_MissingOrBadField_IsMalformed(string body, string problem)
    {
        var block = Single<MalformedBlock>($"[DEPENDENCY_REQUEST]\n{body}\n[/DEPENDENCY_REQUEST]");

        block.Kind.ShouldBe("DEPENDENCY_REQUEST");
        block.Raw.ShouldBe(body);
        block.Problem.ShouldContain(problem);
    }
}
