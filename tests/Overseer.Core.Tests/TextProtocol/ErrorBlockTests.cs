using Overseer.Core.Interaction.TextProtocol;
using static Overseer.Core.Tests.TextProtocol.ProtocolText;

namespace Overseer.Core.Tests.TextProtocol;

public sealed class ErrorBlockTests
{
    [Fact]
    public void Feed_SeedSample_ReadsTypeAndMessage()
    {
        Single<ErrorBlock>(Error).ShouldBe(new ErrorBlock("execution_failed", "Build failed"));
    }

    [Fact]
    public void Feed_NoType_TypeIsNull()
    {
        Single<ErrorBlock>("[error]\nmessage: Tests hang\n[/error]").ShouldBe(new ErrorBlock(null, "Tests hang"));
    }

    [Fact]
    public void Feed_MultiLineMessageWithColons_KeepsEveryLine()
    {
        var block = Single<ErrorBlock>("[ERROR]\ntype: build\nmessage: dotnet build failed:\n  error CS0103: name 'x' does not exist\n  at Foo.cs:12\n[/ERROR]");

        block.Message.ShouldBe("dotnet build failed:\nerror CS0103: name 'x' does not exist\nat Foo.cs:12");
    }

    [Fact]
    public void Feed_OnlyFreeText_UsesItAsTheMessage()
    {
        Single<ErrorBlock>("[ERROR]\nThe disk is full.\n[/ERROR]").ShouldBe(new ErrorBlock(null, "The disk is full."));
    }

    [Fact]
    public void Feed_UnknownFields_Ignored()
    {
        Single<ErrorBlock>("[ERROR]\nseverity: high\ntype: io\nmessage: boom\nretry: later\n[/ERROR]").ShouldBe(new ErrorBlock("io", "boom"));
    }

    [Theory]
    [InlineData("type: execution_failed")]
    [InlineData("type: x\nmessage:")]
    [InlineData("")]
    public void Feed_NoMessage_IsMalformed(string body)
    {
        var block = Single<MalformedBlock>($"[ERROR]\n{body}\n[/ERROR]");

        block.ShouldBe(new MalformedBlock("ERROR", body, block.Problem));
        block.Problem.ShouldContain("missing message");
    }
}
