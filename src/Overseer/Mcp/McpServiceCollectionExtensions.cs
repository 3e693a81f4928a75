using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using Overseer.Auth;
using Overseer.Contracts.Api;

namespace Overseer.Mcp;

/// <summary>
/// Overseer as an MCP server at <c>/mcp</c> (streamable HTTP): its tools, the sessions as resources,
/// the templates as prompts. Authenticated with an API token like <c>/api</c>, and every tool checks
/// the role and project its REST route needs.
/// </summary>
public static class McpServiceCollectionExtensions
{
    public const string Path = "/mcp";

    private const string Instructions =
        "Overseer runs AI coding agents on a server, each in a session in a project, behind a safety gate. " +
        "Find projects with list_projects, start work with start_session (a prompt, or a template from list_templates), " +
        "and follow it with get_session or read_events. A session whose status is 'waiting' needs a person: get_session lists what it waits for " +
        "(approvals of risky tool calls, questions, dependency requests, reviews); decide with approve, deny, answer_question, provide_dependency or review. " +
        "Read each approval's tool, input, tier and reason before approving, and ask the user when in doubt.";

    public static IServiceCollection AddOverseerMcp(this IServiceCollection services)
    {
        services.AddSingleton<McpAccess>();
        services.AddSingleton<McpResourceSubscriptions>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "overseer", Title = "Overseer", Version = typeof(McpServiceCollectionExtensions).Assembly.GetName().Version?.ToString(3) ?? "0" };
                options.ServerInstructions = Instructions;
            })
            // Stateful: resource subscriptions are sent on the MCP session's own stream.
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools<SessionTools>()
            .WithTools<DecisionTools>()
            .WithListResourceTemplatesHandler(SessionResources.ListTemplatesAsync)
            .WithListResourcesHandler(SessionResources.ListAsync)
            .WithReadResourceHandler(SessionResources.ReadAsync)
            .WithSubscribeToResourcesHandler((context, ct) => context.Services!.GetRequiredService<McpResourceSubscriptions>().SubscribeAsync(context, ct))
            .WithUnsubscribeFromResourcesHandler((context, ct) => context.Services!.GetRequiredService<McpResourceSubscriptions>().UnsubscribeAsync(context, ct))
            .WithListPromptsHandler(TemplatePrompts.ListAsync)
            .WithGetPromptHandler(TemplatePrompts.GetAsync);
        return services;
    }

    /// <summary>
    /// <c>/mcp</c> needs an API token (401 without one) and the viewer role; each tool then checks
    /// what it needs, as its REST route does (a viewer's token lists, an operator's approves).
    /// </summary>
    public static IEndpointRouteBuilder MapOverseerMcp(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path).RequireAuthorization().Requires(Roles.Viewer);
        return app;
    }
}
