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
        : this([new BashTool(), new ReadTool(), new WriteTool(), new EditTool(), new MultiEditTool(), new GlobTool(), new GrepTool(), new WebFetchTool(webFetchClient), new TodoWriteTool()])
    {
    }

    private ToolCatalog(IReadOnlyList<IAgentTool> tools)
    {
        _tools = tools.ToDictionary(t => t.Definition.Name, StringComparer.Ordinal);
        Definitions = [.. tools.Select(t => t.Definition), InteractionTools.AskUserQuestion, InteractionTools.ExitPlanMode];
    }

    /// <summary>This catalog and one connection's own tools after it (its MCP servers' tools).</summary>
    public ToolCatalog With(IReadOnlyList<IAgentTool> extra) =>
        extra.Count == 0 ? this : new ToolCatalog([.. _tools.Values, .. extra.Where(t => !_tools.ContainsKey(t.Definition.Name))]);

    /// <summary>Every tool as the model is told of it, in a fixed order (the prompt cache depends on it).</summary>
    public IReadOnlyList<ToolDefinition> Definitions { get; }

    public IAgentTool? Find(string name) => _tools.GetValueOrDefault(name);

    /// <summary>Tools that change files or run commands: held back in plan mode until the plan is approved.</summary>
    public static bool Changes(string name) => name is "Bash" or "Write" or "Edit" or "MultiEdit";
}
