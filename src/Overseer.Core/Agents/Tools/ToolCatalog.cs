using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// The tools of Overseer's own agent loop: the built-in ones that run here, and the two that ask a
/// person instead (<c>AskUserQuestion</c> → a question, <c>ExitPlanMode</c> → a plan review),
/// which the loop serves itself.
/// </summary>
public sealed class ToolCatalog
{
    public const string AskUserQuestion = "AskUserQuestion";
    public const string ExitPlanMode = "ExitPlanMode";

    private readonly Dictionary<string, IAgentTool> _tools;

    public ToolCatalog(HttpClient webFetchClient)
    {
        IAgentTool[] tools = [new BashTool(), new ReadTool(), new WriteTool(), new EditTool(), new MultiEditTool(), new GlobTool(), new GrepTool(), new WebFetchTool(webFetchClient), new TodoWriteTool()];
        _tools = tools.ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);
        Definitions = [.. tools.Select(t => t.Definition), InteractionTools.AskUserQuestion, InteractionTools.ExitPlanMode];
    }

    /// <summary>Every tool as the model is told of it, in a fixed order (the prompt cache depends on it).</summary>
    public IReadOnlyList<ToolDefinition> Definitions { get; }

    public IAgentTool? Find(string name) => _tools.GetValueOrDefault(name);

    /// <summary>Tools that change files or run commands: held back in plan mode until the plan is approved.</summary>
    public static bool Changes(string name) => name is "Bash" or "Write" or "Edit" or "MultiEdit";
}
