using System.Text.Json;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// Claude Code's <c>TodoWrite</c>: the model's task list. The list itself is the call's input,
/// stored with the call, where the dashboard and the CLI show it; the tool only checks its shape.
/// </summary>
internal sealed class TodoWriteTool : IAgentTool
{
    public const string Result = "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable";

    public ToolDefinition Definition { get; } = new("TodoWrite",
        "Creates and updates the structured task list of this session, to track progress on multi-step work. " +
        "Send the whole list each time; exactly one task should be in_progress while you work.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "todos":{"type":"array","description":"The updated todo list","items":{"type":"object","properties":{
            "content":{"type":"string","minLength":1},
            "status":{"type":"string","enum":["pending","in_progress","completed"]},
            "activeForm":{"type":"string","minLength":1}},
           "required":["content","status","activeForm"],"additionalProperties":false}}},
         "required":["todos"],"additionalProperties":false}
        """));

    public Task<ToolOutcome> RunAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        if (!input.TryGetProperty("todos", out var todos) || todos.ValueKind != JsonValueKind.Array)
            return Task.FromResult(ToolOutcome.Error("InputValidationError: `todos` must be an array."));
        var index = 0;
        foreach (var todo in todos.EnumerateArray())
        {
            index++;
            var content = ToolInput.OptionalString(todo, "content");
            var status = ToolInput.OptionalString(todo, "status");
            if (string.IsNullOrWhiteSpace(content))
                return Task.FromResult(ToolOutcome.Error($"InputValidationError: todo {index} has no content."));
            if (status is not ("pending" or "in_progress" or "completed"))
                return Task.FromResult(ToolOutcome.Error($"InputValidationError: todo {index} has status '{status}'; it must be pending, in_progress or completed."));
        }
        return Task.FromResult(new ToolOutcome(Result));
    }
}
