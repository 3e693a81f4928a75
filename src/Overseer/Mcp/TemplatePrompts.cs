using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Templates;

namespace Overseer.Mcp;

/// <summary>
/// The templates as MCP prompts: one per template, named by its id, its parameters as the prompt's
/// arguments; getting one renders the template's prompt with them (the same rendering and checks as
/// <c>POST /api/templates/{id}/render</c>), ready to use or to pass to <c>start_session</c>.
/// </summary>
internal static class TemplatePrompts
{
    public static async ValueTask<ListPromptsResult> ListAsync(RequestContext<ListPromptsRequestParams> context, CancellationToken cancellationToken)
    {
        await RequireViewerAsync(context.User, context.Services!, cancellationToken);
        var templates = await context.Services!.GetRequiredService<TemplateCatalog>().ListAsync(null, cancellationToken);
        return new ListPromptsResult { Prompts = [.. templates.Select(ToPrompt)] };
    }

    public static async ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> context, CancellationToken cancellationToken)
    {
        await RequireViewerAsync(context.User, context.Services!, cancellationToken);
        var name = McpErrors.Id(context.Params?.Name, "name");
        var catalog = context.Services!.GetRequiredService<TemplateCatalog>();
        var template = await catalog.FindAsync(name, cancellationToken) ?? throw McpErrors.Of(ErrorCodes.TemplateNotFound, $"No template has id '{name}'.");
        var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Params?.Arguments ?? new Dictionary<string, JsonElement>())
            parameters[key] = Typed(template.ParametersSchema, key, value);
        var (prompt, failure) = await catalog.RenderAsync(template.Id, parameters, cancellationToken);
        if (failure is not null)
            throw McpErrors.Of(failure.Code!, failure.Message!);
        return new GetPromptResult
        {
            Description = template.Description,
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = prompt! } }],
        };
    }

    private static Prompt ToPrompt(TemplateDto template)
    {
        var required = template.ParametersSchema.ValueKind == JsonValueKind.Object && template.ParametersSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var arguments = new List<PromptArgument>();
        if (template.ParametersSchema.ValueKind == JsonValueKind.Object && template.ParametersSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                var description = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                arguments.Add(new PromptArgument { Name = property.Name, Description = description, Required = required.Contains(property.Name) });
            }
        }
        return new Prompt { Name = template.Id, Title = template.Name, Description = template.Description, Arguments = arguments };
    }

    /// <summary>Prompt arguments arrive as strings: a number or a boolean where the template's schema wants one.</summary>
    private static JsonElement Typed(JsonElement schema, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String || schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.Object
            || !property.TryGetProperty("type", out var type) || type.GetString() is not ("integer" or "number" or "boolean"))
            return value;
        try
        {
            using var parsed = JsonDocument.Parse(value.GetString()!);
            return parsed.RootElement.Clone();
        }
        catch (JsonException)
        {
            return value; // the template's check names what is wrong with it
        }
    }

    private static Task RequireViewerAsync(System.Security.Claims.ClaimsPrincipal? user, IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<McpAccess>().RequireAsync(user ?? throw McpErrors.Of(ErrorCodes.Unauthorized, "No caller."), Roles.Viewer, ProjectFrom.None, null, cancellationToken);
}
