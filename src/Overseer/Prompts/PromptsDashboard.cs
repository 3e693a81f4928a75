using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Dashboard;
using Overseer.Dashboard.Components;

namespace Overseer.Prompts;

/// <summary>
/// "Improve prompt" on the new-session and template forms: the form's prompt goes to the
/// optimiser and the suggestion comes back as a diff with Accept and Discard. Both act in the
/// browser only; the form is sent, as before, when the person sends it.
/// </summary>
internal static class PromptsDashboard
{
    public static RouteGroupBuilder MapPromptActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/prompts/optimize", async (HttpContext context, PromptOptimizer optimizer) =>
        {
            var prompt = DashboardActions.Field(await DashboardActions.FormAsync(context), "prompt");
            if (prompt is null)
                return DashboardActions.Toast(context, "Write a prompt first, then ask for a better one.", StatusCodes.Status400BadRequest);
            var (result, refused) = await optimizer.OptimizeAsync(prompt, null, context.RequestAborted);
            if (result is null)
                return DashboardActions.Toast(context, refused!.Message, refused.Status);
            return new RazorComponentResult<PromptSuggestion>(new Dictionary<string, object?> { [nameof(PromptSuggestion.Result)] = result });
        }).Requires(Roles.Operator);
        return ui;
    }
}
