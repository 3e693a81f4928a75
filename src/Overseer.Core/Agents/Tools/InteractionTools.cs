using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>The tools a person answers: their definitions, shaped like Claude Code's.</summary>
internal static class InteractionTools
{
    public static readonly ToolDefinition AskUserQuestion = new(ToolCatalog.AskUserQuestion,
        "Asks the user one to four multiple-choice questions when you need their decision to go on. " +
        "Each question has a short header, 2-4 options (label and description) and multiSelect. The user may also answer in their own words. " +
        "The session waits until they answer; the answers are this tool's result.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "questions":{"type":"array","minItems":1,"maxItems":4,"items":{"type":"object","properties":{
            "question":{"type":"string","description":"The complete question to ask the user"},
            "header":{"type":"string","description":"Very short label displayed as a chip/tag (max 12 chars)"},
            "multiSelect":{"type":"boolean","description":"Whether several options may be chosen"},
            "options":{"type":"array","minItems":2,"maxItems":4,"items":{"type":"object","properties":{
              "label":{"type":"string"},"description":{"type":"string"}},"required":["label","description"],"additionalProperties":false}}},
           "required":["question","header","options","multiSelect"],"additionalProperties":false}}},
         "required":["questions"],"additionalProperties":false}
        """));

    public static readonly ToolDefinition ExitPlanMode = new(ToolCatalog.ExitPlanMode,
        "Presents your plan to the user for review before you change anything (in plan mode you cannot edit files or run commands until they approve). " +
        "plan is the plan in Markdown. If the user asks for changes, the result says what to change; revise the plan and present it again.",
        ToolInput.Schema("""
        {"type":"object","properties":{
          "plan":{"type":"string","description":"The plan you came up with, that you want to run by the user for approval. Markdown."}},
         "required":["plan"],"additionalProperties":false}
        """));
}
