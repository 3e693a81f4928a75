using System.Text;
using Overseer.Core.Agents;
using Overseer.Core.Agents.ClaudeCode;

namespace Overseer.Core.Tests;

/// <summary>
/// The garbage a fuzzed stand-in CLI wrote (issue 12): each used to throw out of the reader and
/// leave its session running forever. Now each is a report the session can store.
/// </summary>
public sealed class ClaudeGarbageTests
{
    private static IReadOnlyList<ClaudeOutput> Parse(string line) => ClaudeMessageParser.ParseLine(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("""{"type":"assistant","message":42}""", "malformed_message", "number")]
    [InlineData("""{"type":"user","message":"hello"}""", "malformed_message", "string")]
    [InlineData("""{"type":"assistant","message":{"content":[{"type":"text","text":"a\ud800b"}]}}""", "invalid_text", "not valid Unicode")]
    [InlineData("""{"type":"assistant","message":{"content":[7]}}""", "malformed_message", "number")]
    [InlineData("""[1,2,3]""", "malformed_message", "array")]
    [InlineData("""{"type":"result","subtype":"success","is_error":false,"total_cost_usd":NaN}""", "not_json", "not JSON")]
    public void ParseLine_GarbageMessage_IsReportedWithItsKindAndNothingThrows(string line, string kind, string says)
    {
        var invalid = Parse(line).OfType<InvalidOutput>().ShouldHaveSingleItem();
        invalid.Kind.ShouldBe(kind);
        invalid.Message.ShouldContain(says);
    }

    [Fact]
    public void ParseLine_InvalidUtf8InsideAString_IsReportedAsUnreadableText()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"assistant","message":{"content":[{"type":"text","text":"ab"}]}}""").ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'a'), new byte[] { 0xC3, 0x28, 0xFF });
        var outputs = ClaudeMessageParser.ParseLine(bytes.ToArray());
        outputs.OfType<EmitOutput>().ShouldBeEmpty();
        outputs.OfType<InvalidOutput>().ShouldHaveSingleItem().Kind.ShouldBeOneOf("invalid_text", "not_json");
    }

    [Theory]
    [InlineData("9223372036854775807")]
    [InlineData("-1")]
    [InlineData("1e300")]
    public void ParseLine_ResetTimeNoCalendarHolds_IsReportedAndTheLimitHasNoResetTime(string resetsAt)
    {
        var outputs = Parse("""{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":""" + resetsAt + "}}");
        outputs.OfType<InvalidOutput>().ShouldHaveSingleItem().Kind.ShouldBe("out_of_range");
        outputs.OfType<RateLimitInfoOutput>().ShouldHaveSingleItem().ResetsAt.ShouldBeNull();
    }

    [Theory]
    [InlineData("79000000000000000000000000000")]
    [InlineData("-79000000000000000000000000000")]
    [InlineData("1e400")]
    public void ParseLine_CostOutOfRange_IsReportedAndNotCountedButTheTurnStillEnds(string cost)
    {
        var outputs = Parse("""{"type":"result","subtype":"success","is_error":false,"result":"ok","usage":{"input_tokens":-5,"output_tokens":9223372036854775807},"total_cost_usd":""" + cost + "}");
        outputs.OfType<InvalidOutput>().ShouldHaveSingleItem().Kind.ShouldBe("out_of_range");
        var result = outputs.OfType<TurnResultOutput>().ShouldHaveSingleItem();
        result.TotalCostUsd.ShouldBeNull();
        result.InputTokens.ShouldBe(0);
        result.OutputTokens.ShouldBe(ClaudeMessageParser.MaxTokens);
    }

    [Fact]
    public void ParseLine_CanUseToolWithALoneSurrogate_IsAnsweredWithAnErrorUnderItsOwnId()
    {
        var outputs = Parse("""{"type":"control_request","request_id":"req-7","request":{"subtype":"can_use_tool","tool_name":"Bash\udc00","input":{"command":"ls"}}}""");
        outputs.OfType<PermissionRequestOutput>().ShouldBeEmpty();
        outputs.OfType<BadRequestOutput>().ShouldHaveSingleItem().RequestIdJson.ShouldBe("\"req-7\"");
        outputs.OfType<InvalidOutput>().ShouldHaveSingleItem().Kind.ShouldBe("invalid_text");
    }

    [Fact]
    public void ParseLine_ControlRequestWhoseIdIsInvalidUtf8_IsReportedWithoutAnIdAndNothingThrows()
    {
        // Found by tools/fuzz (stream-json): echoing the id read its raw text, which threw on the bad bytes.
        var bytes = Encoding.UTF8.GetBytes("""{"type":"control_request","request_id":"rXq","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{}}}""");
        bytes[bytes.AsSpan().IndexOf("X"u8)] = 0xFF;
        var outputs = ClaudeMessageParser.ParseLine(bytes);
        outputs.OfType<PermissionRequestOutput>().ShouldBeEmpty();
        outputs.OfType<BadRequestOutput>().ShouldHaveSingleItem().RequestIdJson.ShouldBeNull();
        outputs.OfType<InvalidOutput>().ShouldHaveSingleItem().Kind.ShouldBe("invalid_text");
    }

    [Fact]
    public void ParseLine_CanUseToolWhoseIdIsALoneSurrogate_EchoesTheIdAsWritten()
    {
        var outputs = Parse("""{"type":"control_request","request_id":"\ud800","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{}}}""");
        outputs.OfType<BadRequestOutput>().ShouldHaveSingleItem().RequestIdJson.ShouldBe("\"\\ud800\"");
    }

    [Fact]
    public void ParseLine_CanUseToolWithInputThatIsNotAnObject_IsRefused()
    {
        var outputs = Parse("""{"type":"control_request","request_id":"req-8","request":{"subtype":"can_use_tool","tool_name":"Bash","input":"rm -rf /"}}""");
        outputs.ShouldHaveSingleItem().ShouldBeOfType<BadRequestOutput>().RequestIdJson.ShouldBe("\"req-8\"");
    }

    [Fact]
    public void ParseLine_AGoodMessageAfterGarbage_IsReadAsBefore()
    {
        Parse("""{"type":"assistant","message":42}""");
        var text = Parse("""{"type":"assistant","message":{"id":"m1","content":[{"type":"text","text":"still fine 😀"}]}}""");
        text.OfType<EmitOutput>().Select(o => o.Event).OfType<AgentTextEmitted>().ShouldHaveSingleItem().Text.ShouldBe("still fine 😀");
    }
}
