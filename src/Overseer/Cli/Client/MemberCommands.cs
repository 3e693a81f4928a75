using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer member add|ls|rm</c>: who may see and work in a project (admins change them).</summary>
public static class MemberCommands
{
    public static Command Create()
    {
        var project = new Argument<string>("project") { Description = "Project id, unique id prefix, or name" };
        var user = new Argument<string>("user") { Description = "User id or name" };
        var role = new Option<string>("--role") { Description = $"operator (runs sessions, decides) or viewer (reads). Default: {Roles.Viewer}", DefaultValueFactory = _ => Roles.Viewer };
        role.AcceptOnlyFromAmong(Roles.Operator, Roles.Viewer);
        var add = new Command("add", "Make a user a member of a project, or change their role there.") { project, user, role };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var projectId = await context.ResolveAsync(IdResolver.Project, parse.GetValue(project)!, cancellationToken);
            var name = parse.GetValue(user)!;
            await context.Client.SendJsonAsync(HttpMethod.Put, $"api/projects/{projectId}/members/{Uri.EscapeDataString(name)}",
                new PutMemberRequest(parse.GetValue(role)), OverseerJson.Default.PutMemberRequest, cancellationToken);
            await context.Out.WriteLineAsync($"{name} is {parse.GetValue(role)} in {projectId}");
            return ExitCodes.Ok;
        });

        var lsProject = new Argument<string>("project") { Description = "Project id, unique id prefix, or name" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var ls = new Command("ls", "List a project's members.") { lsProject, json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var projectId = await context.ResolveAsync(IdResolver.Project, parse.GetValue(lsProject)!, cancellationToken);
            var members = await context.Client.GetAsync($"api/projects/{projectId}/members", OverseerJson.Default.ListResponseMemberDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(members, ClientContext.IndentedJson.ListResponseMemberDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("USER", "NAME", "ROLE").Flexible("NAME");
            foreach (var m in members.Items)
                table.Add(m.UserId, m.Name, m.Role);
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var rmProject = new Argument<string>("project") { Description = "Project id, unique id prefix, or name" };
        var rmUser = new Argument<string>("user") { Description = "User id or name" };
        var rm = new Command("rm", "Remove a user from a project.") { rmProject, rmUser };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var projectId = await context.ResolveAsync(IdResolver.Project, parse.GetValue(rmProject)!, cancellationToken);
            var name = parse.GetValue(rmUser)!;
            await context.Client.DeleteAsync($"api/projects/{projectId}/members/{Uri.EscapeDataString(name)}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {name} from {projectId}");
            return ExitCodes.Ok;
        });

        return new Command("member", "Manage project members (admins).") { add, ls, rm };
    }
}
