using Overseer.Core.Tests.Properties;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Overseer.Core.Agents;
using Overseer.Core.Agents.ClaudeCode;

namespace Overseer.Core.Tests;

/// <summary>
/// The stream-json reader fed what a broken or hostile CLI could write: arbitrary JSON shaped
/// like the protocol, and arbitrary bytes. Whatever comes in, nothing throws, what reaches the
/// store can be written, and a control request with an id always gets something to answer.
/// A fixed seed and a small budget keep it repeatable and quick.
/// </summary>
public sealed class ClaudeParserPropertyTests
{
    private const string Seed = "0000overseer";

    private static readonly Gen<string> Key = Gen.OneOf<string>(
        Gen.OneOf("type", "subtype", "message", "content", "text", "thinking", "id", "name", "input", "request", "request_id",
            "tool_name", "tool_use_id", "is_error", "result", "usage", "input_tokens", "output_tokens", "total_cost_usd",
            "rate_limit_info", "resetsAt", "resets_at", "api_error_status", "session_id", "tools", "errors", "modelUsage"),
        Gen.String[0, 8].Select(Escape));

    private static readonly Gen<string> Scalar = Gen.OneOf<string>(
        Gen.OneOf("null", "true", "false", "0", "-1", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
            "7.9e28", "-7.9e28", "79228162514264337593543950336", "1e400", "-1e-400", "590.48"),
        Gen.OneOf("\"system\"", "\"init\"", "\"assistant\"", "\"user\"", "\"result\"", "\"control_request\"", "\"can_use_tool\"",
            "\"rate_limit_event\"", "\"text\"", "\"tool_use\"", "\"tool_result\"", "\"thinking\"", "\"api_retry\"", "\"AskUserQuestion\"",
            "\"ExitPlanMode\"", "\"\\ud800\"", "\"a\\udc00\"", "\"\\ud83d\\ude00\""),
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999"),
        Gen.String[0, 20].Select(Escape));

    private static Gen<string> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency<string>(
            (2, Scalar),
            (1, Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Object(depth - 1)));

    private static Gen<string> Object(int depth) =>
        Gen.Select(Key, Value(depth)).Array[0, 5].Select(members => "{" + string.Join(",", members.Select(m => m.Item1 + ":" + m.Item2)) + "}");

    /// <summary>A message: an object whose type is one the reader knows, with protocol-like members.</summary>
    private static readonly Gen<string> Message = Gen.Select(
        Gen.OneOf("system", "assistant", "user", "result", "control_request", "rate_limit_event", "keep_alive", "new_thing"),
        Gen.Select(Key, Value(3)).Array[0, 6])
        .Select((type, members) => "{\"type\":\"" + type + "\"" + string.Concat(members.Select(m => "," + m.Item1 + ":" + m.Item2)) + "}");

    /// <summary>Each char as JSON writes it, or escaped (lone surrogates included), never normalised.</summary>
    private static string Escape(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is >= ' ' and < (char)0x7F and not '"' and not '\\')
                json.Append(c);
            else
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return json.Append('"').ToString();
    }

    [Fact]
    public void ParseLine_ArbitraryProtocolShapedJson_NeverThrowsAndAnswersEveryRequest()
    {
        Message.Check(line =>
        {
            var outputs = ClaudeMessageParser.ParseLine(Encoding.UTF8.GetBytes(line));
            AssertStorable(outputs);
            if (IsRequestWithId(line))
                outputs.ShouldContain(o => o is PermissionRequestOutput || o is UnsupportedRequestOutput || o is BadRequestOutput);
        }, 3000, Seed);
    }

    [Fact]
    public void ParseLine_ArbitraryJsonWithCorruptedBytes_NeverThrows()
    {
        Gen.Select(Message, Gen.Int[0, 400], Gen.Byte).Check((line, at, value) =>
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            bytes[at % bytes.Length] = value;
            AssertStorable(ClaudeMessageParser.ParseLine(bytes));
        }, 3000, Seed);
    }

    [Fact]
    public async Task ReadAsync_ArbitraryBytesThroughTheLineReaderAndParser_NeverThrows()
    {
        var chunks = Gen.OneOf<byte[]>(
            Gen.Byte.Array[0, 300],
            Message.Select(m => Encoding.UTF8.GetBytes(m + "\n")),
            Gen.Const(new[] { (byte)'\n' }));
        var streams = chunks.Array[1, 12].Select(parts => parts.SelectMany(p => p).ToArray());
        await streams.CheckAsync(async bytes =>
        {
            var reader = new BoundedLineReader(new MemoryStream(bytes), 512, keepEnds: 64);
            while (true)
            {
                var line = await reader.ReadAsync(CancellationToken.None);
                if (line.IsEnd)
                    break;
                if (line.Line is null)
                {
                    line.OverlongBytes.ShouldBeGreaterThan(512);
                    (line.Head!.Length + line.Tail!.Length).ShouldBeLessThanOrEqualTo(128);
                    continue;
                }
                line.Line.Length.ShouldBeLessThanOrEqualTo(512);
                AssertStorable(ClaudeMessageParser.ParseLine(line.Line));
            }
        }, 1000, Seed);
    }

    /// <summary>What the session would store can be written as JSON, and its text is valid Unicode.</summary>
    private static void AssertStorable(IReadOnlyList<ClaudeOutput> outputs)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        using var writer = new Utf8JsonWriter(Stream.Null);
        foreach (var output in outputs)
        {
            switch (output)
            {
                case EmitOutput { Event: AgentFact fact }:
                    fact.Data.WriteTo(writer);
                    break;
                case EmitOutput { Event: AgentTextEmitted text }:
                    strict.GetByteCount(text.Text);
                    break;
                case EmitOutput { Event: ToolResultEmitted result }:
                    strict.GetByteCount(result.Output);
                    break;
                case EmitOutput { Event: ToolCallRequested call }:
                    call.Input.WriteTo(writer);
                    break;
                case InvalidOutput invalid:
                    invalid.Message.ShouldNotBeNullOrEmpty();
                    break;
            }
        }
    }

    private static bool IsRequestWithId(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.TryGetProperty("type", out var type) && type.ValueEquals("control_request")
                && root.TryGetProperty("request_id", out var id) && id.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
