using System.Globalization;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Mcp;

/// <summary>
/// A session's transcript as Markdown for MCP clients (the <c>transcript</c> resource): the prompt
/// and messages, what the agent said, its tool calls with their input and (cut) output, the gate's
/// holds and decisions, questions and state changes — what a person reads on the session page.
/// </summary>
internal static class TranscriptMarkdown
{
    private const int MaxOutputChars = 2_000;

    public static string Render(SessionDto session, IEnumerable<EventEnvelope> events)
    {
        var md = new StringBuilder();
        md.Append("# ").AppendLine(session.Title ?? session.Id);
        md.AppendLine();
        md.Append("Session `").Append(session.Id).Append("` in project `").Append(session.ProjectId).Append("` · ").Append(session.Runtime)
            .Append(" · status **").Append(session.Status.ToWire()).Append("** · $").AppendLine(session.Usage.CostUsd.ToString("0.####", CultureInfo.InvariantCulture));
        foreach (var e in events)
            Append(md, e);
        return md.ToString();
    }

    private static void Append(StringBuilder md, EventEnvelope e)
    {
        var data = e.Data;
        switch (e.Type)
        {
            case EventTypes.UserMessage:
                md.AppendLine().Append("**").Append(Str(data, "by") ?? e.Actor).AppendLine(":**").AppendLine().AppendLine(Str(data, "text"));
                break;
            case EventTypes.AgentText:
                md.AppendLine().AppendLine(Str(data, "text"));
                break;
            case EventTypes.ToolCall:
                md.AppendLine().Append("**Tool** `").Append(Str(data, "name")).Append('`');
                if (Str(data, "tier") is { } tier)
                    md.Append(" (").Append(tier).Append(')');
                md.AppendLine().AppendLine("```json").AppendLine(data.TryGetProperty("input", out var input) ? input.GetRawText() : "{}").AppendLine("```");
                break;
            case EventTypes.ToolResult:
                var output = Str(data, "output") ?? "";
                if (output.Length > MaxOutputChars)
                    output = output[..MaxOutputChars] + "\n… (cut)";
                md.AppendLine(data.TryGetProperty("isError", out var error) && error.ValueKind == JsonValueKind.True ? "Result (error):" : "Result:")
                    .AppendLine("```").AppendLine(output.Replace("```", "'''", StringComparison.Ordinal)).AppendLine("```");
                break;
            case EventTypes.ApprovalRequested:
                md.AppendLine().Append("> ⏸ **Waiting for approval** `").Append(Str(data, "approvalId")).Append("`: ").Append(Str(data, "tool"))
                    .Append(" (").Append(Str(data, "tier")).Append(") — ").AppendLine(Str(data, "reason"));
                break;
            case EventTypes.ApprovalDecided:
                md.AppendLine().Append("> ").Append(Str(data, "decision")).Append(" by ").AppendLine(Str(data, "by"));
                break;
            case EventTypes.QuestionAsked:
                md.AppendLine().Append("> ❓ **Question** `").Append(Str(data, "questionId")).AppendLine("`:");
                if (data.TryGetProperty("questions", out var questions) && questions.ValueKind == JsonValueKind.Array)
                    foreach (var q in questions.EnumerateArray())
                        md.Append("> - ").AppendLine(Str(q, "question"));
                break;
            case EventTypes.QuestionAnswered:
                md.AppendLine().Append("> Answered by ").AppendLine(Str(data, "by"));
                break;
            case EventTypes.DependencyRequested:
                md.AppendLine().Append("> 🔑 **Dependency requested**: ").AppendLine(Str(data, "name"));
                break;
            case EventTypes.ReviewRequested:
                md.AppendLine().Append("> 📋 **Review requested** (").Append(Str(data, "kind")).AppendLine(")");
                break;
            case EventTypes.AgentError or EventTypes.AgentReportedError:
                md.AppendLine().Append("> ⚠ ").AppendLine(Str(data, "message") ?? Str(data, "text"));
                break;
            case var type when type.StartsWith("session.", StringComparison.Ordinal) && type is not EventTypes.SessionUpdated and not EventTypes.SessionCreated:
                md.AppendLine().Append("*— ").Append(type["session.".Length..]);
                if ((Str(data, "reason") ?? Str(data, "error")) is { } why)
                    md.Append(": ").Append(why);
                md.AppendLine(" —*");
                break;
        }
    }

    private static string? Str(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
