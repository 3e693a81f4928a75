using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer projects add|ls|rm</c>: the directories agents may work in.</summary>
public static class ProjectsCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "The project directory (as the server sees it)" };
        var name = new Option<string>("--name") { Description = "A name to show. Default: the directory's name" };
        var add = new Command("add", "Add a project.") { path, name };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var project = await AddAsync(context.Client, Path.GetFullPath(parse.GetValue(path)!), parse.GetValue(name), cancellationToken);
            await context.Out.WriteLineAsync(project.Id);
            return ExitCodes.Ok;
        });

        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var ls = new Command("ls", "List projects.") { json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var projects = await ListAsync(context.Client, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(projects, ClientContext.IndentedJson.IReadOnlyListProjectDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "NAME", "PATH", "CREATED").Flexible("PATH", "NAME");
            foreach (var p in projects)
                table.Add(p.Id, p.Name, p.Path, Format.Age(p.CreatedAt, DateTimeOffset.UtcNow) + " ago");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "Project id, unique id prefix, or name" };
        var rm = new Command("rm", "Remove a project (its directory is left alone).") { id };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var projectId = await context.ResolveAsync(IdResolver.Project, parse.GetValue(id)!, cancellationToken);
            await context.Client.DeleteAsync($"api/projects/{projectId}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {projectId}");
            return ExitCodes.Ok;
        });

        return new Command("projects", "Manage projects.") { add, ls, rm };
    }

    public static Task<ProjectDto> AddAsync(OverseerClient client, string path, string? name, CancellationToken cancellationToken) =>
        client.PostAsync("api/projects", new CreateProjectRequest(path, name), OverseerJson.Default.CreateProjectRequest, OverseerJson.Default.ProjectDto, cancellationToken);

    public static async Task<IReadOnlyList<ProjectDto>> ListAsync(OverseerClient client, CancellationToken cancellationToken) =>
        (await client.GetAsync("api/projects", OverseerJson.Default.ListResponseProjectDto, cancellationToken)).Items;

    /// <summary>
    /// The project for <c>--project</c>: an existing directory is matched by path (a directory inside a
    /// project means that project) and added when the server does not know it; anything else is an id or name.
    /// </summary>
    public static async Task<string> FindOrAddAsync(ClientContext context, string? given, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(given ?? Directory.GetCurrentDirectory());
        return await FindAsync(context, given ?? directory, cancellationToken)
            ?? (await AddAsync(context.Client, directory, null, cancellationToken)).Id;
    }

    /// <summary>A project by directory (the project containing it; null if none), else by id, prefix or name.</summary>
    public static async Task<string?> FindAsync(ClientContext context, string given, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(given);
        if (!Directory.Exists(directory))
            return await context.ResolveAsync(IdResolver.Project, given, cancellationToken);
        var projects = await ListAsync(context.Client, cancellationToken);
        return projects
            .Where(p => directory == p.Path || directory.StartsWith(p.Path.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(p => p.Path.Length)?.Id;
    }
}
