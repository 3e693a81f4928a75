using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Overseer.Core.Secrets;

namespace Overseer.Core.Tests.Secrets;

public sealed class SecretRedactorJsonTests
{
    private static readonly SecretRedactor Redactor = new([KeyValuePair.Create("TOKEN", "tok_9f8e7d6c5b4a"), KeyValuePair.Create("PIN", "98765432")]);

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Redact_NestedTree_StringsAndPropertyNamesRedactedOtherValuesKept()
    {
        var element = Parse("""
            {"command":"curl -H 'Authorization: tok_9f8e7d6c5b4a' x",
             "tok_9f8e7d6c5b4a":{"list":[1,true,null,["deep tok_9f8e7d6c5b4a", {"k":"tok_9f8e7d6c5b4a"}]]},
             "n":1.5e3,"clean":"ok"}
            """);

        var redacted = Redactor.Redact(element);

        redacted.GetRawText().ShouldNotContain("tok_9f8e7d6c5b4a");
        redacted.GetProperty("command").GetString().ShouldBe("curl -H 'Authorization: «secret:TOKEN»' x");
        var list = redacted.GetProperty("«secret:TOKEN»").GetProperty("list");
        list[0].GetInt32().ShouldBe(1);
        list[1].GetBoolean().ShouldBeTrue();
        list[2].ValueKind.ShouldBe(JsonValueKind.Null);
        list[3][0].GetString().ShouldBe("deep «secret:TOKEN»");
        list[3][1].GetProperty("k").GetString().ShouldBe("«secret:TOKEN»");
        redacted.GetProperty("n").GetRawText().ShouldBe("1.5e3");
        redacted.GetProperty("clean").GetString().ShouldBe("ok");
    }

    [Fact]
    public void Redact_NothingMatched_ReturnsSameElement()
    {
        var element = Parse("""{"a":[1,2,{"b":"no secrets here"}],"tok_":"near miss"}""");

        var result = Redactor.Redact(element);

        Unsafe.AreSame(
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(result)),
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(element))).ShouldBeTrue();
    }

    [Fact]
    public void Redact_NearMissWithEscapes_WalksTreeAndStillReturnsSameElement()
    {
        var element = Parse("""{"a":"line\nbreak","b":"tok_9f8e"}""");

        var result = Redactor.Redact(element);

        Unsafe.AreSame(
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(result)),
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(element))).ShouldBeTrue();
    }

    [Fact]
    public void Redact_SecretSpelledWithJsonUnicodeEscapes_StillRedacted()
    {
        var element = Parse("""{"a":"\u0074ok_9f8e7d6c5b4a"}""");

        Redactor.Redact(element).GetProperty("a").GetString().ShouldBe("«secret:TOKEN»");
    }

    [Fact]
    public void Redact_NumericSecretInNumber_BecomesRedactedString()
    {
        var element = Parse("""{"pin":98765432,"other":12}""");

        var redacted = Redactor.Redact(element);

        redacted.GetProperty("pin").GetString().ShouldBe("«secret:PIN»");
        redacted.GetProperty("other").GetInt32().ShouldBe(12);
    }

    [Fact]
    public void Redact_Base64InsideJsonString_Redacted()
    {
        var blob = Convert.ToBase64String("Authorization: Bearer tok_9f8e7d6c5b4a"u8);
        var element = Parse($$"""{"headers":["{{blob}}"]}""");

        Redactor.Redact(element).GetProperty("headers")[0].GetString()!.ShouldContain("«secret:TOKEN»");
    }

    [Fact]
    public void Redact_RedactedJson_KeepsMarkerReadableInRawText()
    {
        Redactor.Redact(Parse("""["tok_9f8e7d6c5b4a"]""")).GetRawText().ShouldBe("""["«secret:TOKEN»"]""");
    }

    [Fact]
    public void Redact_UndefinedOrEmptyRedactor_ReturnsInput()
    {
        Redactor.Redact(default(JsonElement)).ValueKind.ShouldBe(JsonValueKind.Undefined);
        var element = Parse("""{"a":"tok_9f8e7d6c5b4a"}""");
        SecretRedactor.Empty.Redact(element).GetProperty("a").GetString().ShouldBe("tok_9f8e7d6c5b4a");
    }
    // The raw JSON is searched a 16 KiB window at a time (issue 12, item 5); a secret must be
    // found wherever it falls, across a window's edge and after multi-byte characters too.
    [Theory]
    [InlineData(0)]
    [InlineData(16 * 1024 - 20)]
    [InlineData(16 * 1024 - 9)]
    [InlineData(16 * 1024 - 1)]
    [InlineData(16 * 1024)]
    [InlineData(3 * 16 * 1024 - 5)]
    [InlineData(100_000)]
    public void Redact_LongTextWithSecretAtAnyOffset_Redacted(int offset)
    {
        // 'é' is two bytes in UTF-8, so the secret starts at byte `offset` of the text.
        var padding = new string('é', offset / 2) + (offset % 2 == 1 ? "x" : "");
        var emoji = string.Concat(Enumerable.Repeat("😀", 3000));
        var element = Parse($$"""{"t":"{{padding}}tok_9f8e7d6c5b4a{{emoji}}"}""");

        Redactor.Redact(element).GetProperty("t").GetString()!.ShouldBe(padding + "«secret:TOKEN»" + emoji);
    }

    [Fact]
    public void Redact_MegabytesWithoutSecret_AllocatesNoBufferOfTheirSize()
    {
        // No warm-up: a buffer the size of the text, rented from the shared pool, would be allocated
        // by the first call on this thread (and then kept by the pool).
        var element = Parse($$"""{"t":"{{new string('t', 3_000_000)}}"}""");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var redacted = Redactor.Redact(element);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Unsafe.AreSame(
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(redacted)),
            ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(element))).ShouldBeTrue();
        allocated.ShouldBeLessThan(256 * 1024);
    }
}
