using Overseer.Auth;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Safety;
using Overseer.Core.Safety.Policy;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>Dry-run classification, the effective rules, and the remembered allow rules.</summary>
public static class PolicyApi
{
    public static RouteGroupBuilder MapPolicyApi(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/policy");
        // The rules and what they allow are the admins' to see and change.
        policy.MapPost("/evaluate", EvaluateAsync).Requires(Roles.Admin);
        policy.MapGet("", async (HttpContext context, PolicyEngine engine, IReadModel readModel) =>
        {
            // Without a project: the rules that apply everywhere (file rules with no project, then
            // the built-in ones); with one: its scoped rules first, as the classifier sees them.
            IReadOnlyList<PolicyRule> effective = [.. engine.Policy.Rules.Where(r => r.Project is null), .. BuiltinRules.All];
            if (context.Request.Query["projectId"].FirstOrDefault() is { Length: > 0 } projectId)
            {
                if (await readModel.GetProjectAsync(projectId, context.RequestAborted) is not { } project)
                    return Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.ProjectNotFound, $"No project has id '{projectId}'.", "projectId");
                effective = engine.EffectiveRules(project.Path);
            }
            var rules = effective.Select(r => new
            {
                r.Id, r.Tool, Tier = r.Tier.ToWire(), r.Reason, r.Command, r.Flags, r.Paths, r.Urls, r.Project, r.BuiltIn,
            });
            return Results.Json(new { source = engine.Policy.Source, urlAllowList = engine.Policy.UrlAllowList, rules }, JsonDefaults);
        }).Requires(Roles.Admin);
        policy.MapGet("/rules", async (AllowRules allowRules, CancellationToken ct) =>
            TypedResults.Ok(new ListResponse<AllowRuleDto>(await allowRules.ListAsync(ct), null))).Requires(Roles.Admin);
        policy.MapDelete("/rules/{id}", async (string id, HttpContext context, AllowRules allowRules) =>
            await allowRules.RevokeAsync(id, context.User.ActedBy(), context.RequestAborted)
                ? TypedResults.NoContent()
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.RuleNotFound, $"No remembered rule has id '{id}'.")).Requires(Roles.Admin);
        return api;
    }

    private static readonly JsonSerializerOptions JsonDefaults = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private static async Task<IResult> EvaluateAsync(HttpContext context, PolicyToolGate gate, PolicyEngine engine, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.EvaluateRequest);
        if (problem is not null)
            return problem;
        if (string.IsNullOrWhiteSpace(request!.Tool))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "tool is required.", "tool");
        if (request.Input is not { ValueKind: JsonValueKind.Object } input)
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "input must be an object (the tool's input).", "input");
        if (string.IsNullOrWhiteSpace(request.ProjectId))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "projectId is required.", "projectId");
        if (await readModel.GetProjectAsync(request.ProjectId, context.RequestAborted) is not { } project)
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.ProjectNotFound, $"No project has id '{request.ProjectId}'.", "projectId");
        var decision = engine.Evaluate(request.Tool, input, gate.ContextFor(project.Path));
        return TypedResults.Ok(new PolicyDecisionDto(decision.Tier.ToWire(), decision.Reason, decision.Rule));
    }
}
