using System.Text;
using Overseer.Contracts.Text;

namespace Overseer.Core.Tests.Text;

/// <summary>
/// The escaped-string check reads the escapes where they stand instead of unescaping into a
/// buffer (issue 12, item 5: a buffer the size of the text, rented from the shared pool, stayed
/// there); it must still find exactly the strings that are not Unicode.
/// </summary>
public sealed class JsonTextCheckTests
{
    private static InvalidJsonText? Find(string json) => JsonTextCheck.Find(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"t":"a\ud83d\ude00b"}""")]
    [InlineData("""{"t":"\ud83d\ude00"}""")]
    [InlineData("""{"t":"\n\t\"\\\/ \u00e9 \uFFFF \u0000"}""")]
    [InlineData("""{"t":"é \n ü 😀 \\ud800"}""")]
    [InlineData("""{"\ud83d\ude00":1}""")]
    public void Find_EscapedValidText_IsNull(string json) => Find(json).ShouldBeNull();

    [Theory]
    [InlineData("""{"t":"\ud800"}""")]
    [InlineData("""{"t":"a\ud800b"}""")]
    [InlineData("""{"t":"\ud800\n"}""")]
    [InlineData("""{"t":"\ud800\u0041"}""")]
    [InlineData("""{"t":"\ud800\ud800\udc00"}""")]
    [InlineData("""{"t":"\udc00"}""")]
    [InlineData("""{"t":"\ud83d\ude00\ude00"}""")]
    [InlineData("""{"t":"x\n\udfff"}""")]
    public void Find_UnpairedSurrogateEscape_NamesTheField(string json) => Find(json)!.Field.ShouldBe("t");

    [Fact]
    public void Find_UnpairedSurrogateInPropertyName_IsFound() =>
        Find("""{"a\udc00":1}""").ShouldNotBeNull();

    [Fact]
    public void Find_InvalidUtf8BetweenEscapes_IsFound()
    {
        var json = "{\"t\":\"\\n"u8.ToArray().Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat("\\n\"}"u8.ToArray()).ToArray();

        JsonTextCheck.Find(json)!.Field.ShouldBe("t");
    }

    [Fact]
    public void Find_EncodedSurrogateBytesBetweenEscapes_IsFound()
    {
        // U+D800 written as UTF-8 bytes (ED A0 80) instead of as an escape.
        var json = "{\"t\":\"\\n"u8.ToArray().Concat(new byte[] { 0xED, 0xA0, 0x80 }).Concat("\""u8.ToArray()).Concat("}"u8.ToArray()).ToArray();

        JsonTextCheck.Find(json)!.Field.ShouldBe("t");
    }

    [Fact]
    public void Find_MegabytesOfEscapedText_AllocatesNoBufferOfItsSize()
    {
        var text = new StringBuilder().Insert(0, "line\\n", 800_000).Append("\\ud83d\\ude00").ToString();
        var json = Encoding.UTF8.GetBytes($$"""{"t":"{{text}}"}""");
        // No warm-up: a buffer the size of the text, rented from the shared pool, would be allocated
        // by the first call on this thread (and then kept by the pool).
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = JsonTextCheck.Find(json);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        found.ShouldBeNull();
        allocated.ShouldBeLessThan(256 * 1024);
    }
}
