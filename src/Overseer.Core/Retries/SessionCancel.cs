using Overseer.Contracts.Events;
using Overseer.Core.Sessions;

namespace Overseer.Core.Retries;

/// <summary>What "cancel" means to a person: stop the session, or, when it has already failed and its retry is waiting, call the retry off.</summary>
public static class SessionCancel
{
    public static async Task<CommandResult> CancelAsync(SessionManager sessions, RetryRunner retries, string id, ActedBy by, CancellationToken cancellationToken)
    {
        var result = await sessions.CancelAsync(id, by);
        if (result.Outcome == CommandOutcome.InvalidState && await retries.CancelAsync(id, by, cancellationToken))
            return CommandResult.Done;
        return result;
    }
}
