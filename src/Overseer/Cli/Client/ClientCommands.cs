using System.CommandLine;

namespace Overseer.Cli.Client;

/// <summary>The remote-client commands of <c>overseer</c>: everything but <c>serve</c>, <c>doctor</c> and <c>vault</c>.</summary>
public static class ClientCommands
{
    public static IEnumerable<Command> Create() =>
    [
        LoginCommand.Create(),
        ProjectsCommand.Create(),
        RunCommand.Create(),
        RuntimesCommand.Create(),
        ListCommand.Create(),
        ShowCommand.Create(),
        PendingCommand.Create(),
        ReviewCommand.Create(),
        .. SessionCommands.Create(),
        TaskCommands.Create(),
        .. DecisionCommands.Create(),
        .. LogCommands.Create(),
        .. WorktreeCommands.Create(),
        SearchCommand.Create(),
        TemplateCommand.Create(),
        ScheduleCommand.Create(),
        BudgetCommand.Create(),
        BudgetCommand.CreatePredict(),
        TriggerCommand.Create(),
        PromptCommand.Create(),
        UserCommands.Create(),
        MemberCommands.Create(),
        TokenCommand.Create(),
        AuditCommand.Create(),
        NotifyCommand.Create(),
        ChecksCommand.Create(),
        AlertsCommand.Create(),
    ];
}
