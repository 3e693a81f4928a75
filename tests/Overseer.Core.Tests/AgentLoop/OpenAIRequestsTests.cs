using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.OpenAI;

namespace Overseer.Core.Tests.AgentLoop;

/// <summary>A provider-neutral conversation as a chat-completions body, with tools and in plain chat.</summary>
public sealed class OpenAIRequestsTests
{
    private static readonly JsonElement Input = JsonDocument.Parse("{\"command\":\"ls\"}").RootElement;

    private static readonly ModelRequest Request = new("m", "You are Overseer's agent.",
    [
        new ChatMessage(ChatRole.User, [new TextPart("list files")]),
        new ChatMessage(ChatRole.Assistant, [new ThinkingPart("hmm", "sig"), new TextPart("Listing."), new ToolUsePart("t1", "Bash", Input)]),
        new ChatMessage(ChatRole.User, [new ToolResultPart("t1", "a.txt", false), new TextPart("and then?")]),
    ],
    [new ToolDefinition("Bash", "Runs a command", JsonDocument.Parse("{\"type\":\"object\"}").RootElement)], 1000, 0);

    private static JsonNode Body(ModelRequest request, bool tools) => JsonNode.Parse(OpenAIRequests.Build(request, tools))!;

    [Fact]
    public void WithTools_CallsAreToolCalls_ResultsAreToolMessagesBeforeTheUsersWords_ThinkingIsLeftOut()
    {
        var body = Body(Request, tools: true);
        body["max_tokens"]!.GetValue<int>().ShouldBe(1000);
        body["tool_choice"]!.GetValue<string>().ShouldBe("auto");
        body["tools"]![0]!["function"]!["parameters"]!["type"]!.GetValue<string>().ShouldBe("object");
        var messages = body["messages"]!.AsArray();
        messages.Select(m => (string)m!["role"]!).ShouldBe(["system", "user", "assistant", "tool", "user"]);
        messages[2]!["content"]!.GetValue<string>().ShouldBe("Listing.");
        messages[2]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>().ShouldBe("{\"command\":\"ls\"}");
        messages[3]!["tool_call_id"]!.GetValue<string>().ShouldBe("t1");
        messages[4]!["content"]!.GetValue<string>().ShouldBe("and then?");
        body.ToJsonString().ShouldNotContain("hmm");
    }

    [Fact]
    public void PlainChat_SendsNoTools_AndTellsEarlierCallsAndResultsAsText()
    {
        var body = Body(Request, tools: false);
        body["tools"].ShouldBeNull();
        body["tool_choice"].ShouldBeNull();
        var messages = body["messages"]!.AsArray();
        messages.Select(m => (string)m!["role"]!).ShouldBe(["system", "user", "assistant", "user"]);
        messages[2]!["content"]!.GetValue<string>().ShouldBe("Listing.\n\n[I called the tool Bash with {\"command\":\"ls\"}]");
        messages[3]!["content"]!.GetValue<string>().ShouldBe("[The tool answered: a.txt]\n\nand then?");
    }

    [Fact]
    public void ASummary_KeepsTheToolsButAsksForWords()
    {
        Body(Request with { ToolsAllowed = false }, tools: true)["tool_choice"]!.GetValue<string>().ShouldBe("none");
    }
}
