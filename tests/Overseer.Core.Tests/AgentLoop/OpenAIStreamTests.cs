using System.Text;
using System.Text.Json;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.OpenAI;

namespace Overseer.Core.Tests.AgentLoop;

/// <summary>Streamed chat completions as local servers send them, into the loop's events.</summary>
public sealed class OpenAIStreamTests
{
    private static async Task<List<ModelStreamEvent>> ReadAsync(params string[] lines)
    {
        var body = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        var events = new List<ModelStreamEvent>();
        await foreach (var item in OpenAIStream.ReadAsync(body, "asked-model", CancellationToken.None))
            events.Add(item);
        return events;
    }

    [Fact]
    public async Task ToolCalls_AreAssembledByIndex_FromPieces_AndAfterTheText()
    {
        var events = await ReadAsync(
            "data: {\"id\":\"c1\",\"model\":\"qwen\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me \"}}]}",
            "",
            ": keep-alive",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"look.\",\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"Glob\",\"arguments\":\"{\\\"pattern\\\":\"}}]}}]}",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"Read\",\"arguments\":\"\"}}]}}]}",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"file_path\\\":\\\"/a\\\"}\"}},{\"index\":1,\"function\":{\"arguments\":\"\\\"*.cs\\\"}\"}}]}}]}",
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":30}}}",
            "data: [DONE]");

        events[0].ShouldBe(new ModelMessageStarted("c1", "qwen", ModelUsage.None));
        events.OfType<ModelTextDelta>().Select(d => d.Text).ShouldBe(["Let me ", "look."]);
        var blocks = events.OfType<ModelBlockCompleted>().ToList();
        blocks[0].Part.ShouldBe(new TextPart("Let me look."));
        var read = blocks[1].Part.ShouldBeOfType<ToolUsePart>();
        (read.Id, read.Name, read.Input.GetProperty("file_path").GetString()).ShouldBe(("call_a", "Read", "/a"));
        var glob = blocks[2].Part.ShouldBeOfType<ToolUsePart>();
        (glob.Id, glob.Name, glob.Input.GetProperty("pattern").GetString()).ShouldBe(("call_b", "Glob", "*.cs"));
        events[^1].ShouldBe(new ModelMessageCompleted(ModelStopReason.ToolUse, new ModelUsage(70, 20, 30, 0)));
    }

    [Fact]
    public async Task ArgumentsAsAnObject_AndACallWithoutId_StillMakeAToolCall()
    {
        var events = await ReadAsync(
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"name\":\"Bash\",\"arguments\":{\"command\":\"ls\"}}}]},\"finish_reason\":\"stop\"}]}",
            "data: [DONE]");

        var call = events.OfType<ModelBlockCompleted>().Single().Part.ShouldBeOfType<ToolUsePart>();
        call.Id.ShouldStartWith("call_");
        call.Input.GetProperty("command").GetString().ShouldBe("ls");
        events[0].ShouldBe(new ModelMessageStarted("", "asked-model", ModelUsage.None));
        events[^1].ShouldBeOfType<ModelMessageCompleted>().StopReason.ShouldBe(ModelStopReason.ToolUse, "calls were made, whatever the finish reason says");
    }

    [Fact]
    public async Task LengthFinish_IsMaxTokens_AndCutOffArgumentsBecomeAnEmptyInput()
    {
        var events = await ReadAsync(
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"Write\",\"arguments\":\"{\\\"content\\\":\\\"half\"}}]},\"finish_reason\":\"length\"}]}",
            "data: [DONE]");
        events.OfType<ModelBlockCompleted>().Single().Part.ShouldBeOfType<ToolUsePart>().Input.ValueKind.ShouldBe(JsonValueKind.Object);
        events[^1].ShouldBeOfType<ModelMessageCompleted>().StopReason.ShouldBe(ModelStopReason.MaxTokens);
    }

    [Fact]
    public async Task StreamCutShort_OrAnErrorChunk_IsUnavailable_AfterTheTextThatArrived()
    {
        var events = new List<ModelStreamEvent>();
        var cut = await Should.ThrowAsync<ModelUnavailableException>(async () =>
        {
            await foreach (var item in OpenAIStream.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"Hal\"}}]}\n")), "m", CancellationToken.None))
                events.Add(item);
        });
        cut.Message.ShouldBe("The endpoint's stream ended before the answer was complete.");
        events.OfType<ModelTextDelta>().Single().Text.ShouldBe("Hal");

        var error = await Should.ThrowAsync<ModelUnavailableException>(() => ReadAsync("data: {\"error\":{\"message\":\"CUDA out of memory\"}}"));
        error.Message.ShouldBe("The endpoint stopped the answer: CUDA out of memory");
    }
}
