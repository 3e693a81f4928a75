using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Budgets;
using Overseer.Core.Interaction;
using Overseer.Core.Safety;
using Overseer.Core.Scheduling;
using Overseer.Core.Secrets;
using Overseer.Core.Workspaces;
using Overseer.Storage;

namespace Overseer.Core.Sessions;

/// <summary>
/// Creates sessions, finds (or restores) their hosts and routes commands to them. Owns the set
/// of live hosts; the hosts own the sessions' state.
/// </summary>
public sealed partial class SessionManager
{
    private readonly IEventStore _store;
    private readonly IReadModel _readModel;
    private readonly SessionScheduler _scheduler;
    private readonly Dictionary<string, IAgentRuntime> _runtimes;
    private readonly SessionHostServices _services;
    private readonly ILogger<SessionManager> _logger;
    private readonly ConcurrentDictionary<string, SessionHost> _hosts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _restoreLock = new(1, 1);
    private readonly AllowRules? _allowRules;
    private readonly Worktrees? _worktrees;
    private readonly SecretVault? _vault;
    private readonly BudgetGuard? _budgets;
    private readonly BudgetHolds _holds;
    private volatile bool _stopping;

    public SessionManager(
        IEventStore store,
        IReadModel readModel,
        SessionScheduler scheduler,
        IEnumerable<IAgentRuntime> runtimes,
        IToolGate gate,
        IOptions<SessionOptions> options,
        ILogger<SessionManager> logger,
        IAgentEnvironment? environment = null,
        AllowRules? allowRules = null,
        Worktrees? worktrees = null,
        SecretVault? vault = null,
        TimeProvider? time = null,
        BudgetGuard? budgets = null)
    {
        _store = store;
        _readModel = readModel;
        _scheduler = scheduler;
        // A runtime its settings leave off (openai without an endpoint, a router without routes) is not offered at all.
        _runtimes = runtimes.Where(r => r.Configured).ToDictionary(r => r.Name, StringComparer.Ordinal);
        _budgets = budgets;
        _holds = new BudgetHolds(scheduler, time ?? TimeProvider.System);
        _services = new SessionHostServices(store, scheduler, gate, options.Value, logger, environment ?? new NoAgentEnvironment(), time ?? TimeProvider.System,
            vault is null ? static text => text : text => vault.Redactor.Redact(text), budgets, _holds);
        DefaultRuntime = options.Value.DefaultRuntime;
        _logger = logger;
        _allowRules = allowRules;
        _worktrees = worktrees;
        _vault = vault;
        _scheduler.OnDispatch(StartDispatchedAsync);
    }

    public IReadOnlyCollection<IAgentRuntime> Runtimes => _runtimes.Values;

    /// <summary>Session actors in memory (a hibernated session has none until its next command).</summary>
    internal int LiveHosts => _hosts.Count;

    public string DefaultRuntime { get; set; } = "scripted";

    /// <param name="by">The person (or system) starting it; a person is recorded as the session's starter.</param>
    /// <param name="templateId">The template it was started from, if any.</param>
    /// <param name="links">The schedule run it is for, or the failed attempt it retries.</param>
    /// <param name="trigger">The webhook trigger that started it, if any, and where its work came from.</param>
    public async Task<CreateSessionResult> CreateAsync(CreateSessionRequest request, ActedBy by, CancellationToken cancellationToken, string? templateId = null,
        SessionLinks? links = null, TriggerOrigin? trigger = null)
    {
        if (_stopping)
            return CreateSessionResult.Fail(ErrorCodes.ShuttingDown, "Overseer is shutting down.", null);
        if (string.IsNullOrWhiteSpace(request.ProjectId))
            return CreateSessionResult.Fail(ErrorCodes.InvalidField, "projectId is required.", "projectId");
        if (string.IsNullOrWhiteSpace(request.Prompt))
            return CreateSessionResult.Fail(ErrorCodes.InvalidField, "prompt is required and must not be empty.", "prompt");
        if (request.Priority is < -100 or > 100)
            return CreateSessionResult.Fail(ErrorCodes.InvalidField, "priority must be between -100 and 100.", "priority");
        var runtimeName = request.Runtime ?? DefaultRuntime;
        if (!_runtimes.TryGetValue(runtimeName, out var runtime))
            return CreateSessionResult.Fail(ErrorCodes.UnknownRuntime, $"runtime '{runtimeName}' is not one of: {string.Join(", ", _runtimes.Keys.Order())}.", "runtime");
        if (runtime.Validate(request.Script) is { } scriptProblem)
            return CreateSessionResult.Fail(ErrorCodes.InvalidScript, scriptProblem, "script");
        if (request.Isolation is not (null or "none" or "worktree"))
            return CreateSessionResult.Fail(ErrorCodes.InvalidField, "isolation must be \"worktree\" or \"none\".", "isolation");
        if (Retries.RetryPolicies.Problem(request.Retry) is { } retryProblem)
            return CreateSessionResult.Fail(ErrorCodes.InvalidField, retryProblem.Message, retryProblem.Field);
        if (TaskFieldProblem(request.Title, request.Description, request.Type) is { } taskProblem)
            return CreateSessionResult.Fail(taskProblem.Code!, taskProblem.Message!, taskProblem.Field);
        if (BudgetCatalog.LimitProblem(request.BudgetUsd, "budgetUsd", required: false) is { } budgetProblem)
            return CreateSessionResult.Fail(budgetProblem.Code!, budgetProblem.Message!, budgetProblem.Field);
        var project = await _readModel.GetProjectAsync(request.ProjectId, cancellationToken);
        if (project is null)
            return CreateSessionResult.Fail(ErrorCodes.ProjectNotFound, $"No project has id '{request.ProjectId}'.", "projectId");
        // Nothing is started against a budget already spent: the project's, the starter's or the server's.
        if (_budgets is not null && await _budgets.StopAsync(new BudgetSubject(null, project.Id, by.UserId), cancellationToken) is { } spent)
            return CreateSessionResult.Fail(ErrorCodes.BudgetExceeded, $"{spent.Describe()} Raise the limit (PUT /api/budgets) or wait for its next period.", null);

        var id = Ids.New("s");
        WorktreeInfo? worktree = null;
        if (request.Isolation == "worktree")
        {
            if (_worktrees is null || !await Git.IsRepositoryAsync(project.Path, cancellationToken))
                return CreateSessionResult.Fail(ErrorCodes.NotAGitRepo, $"isolation \"worktree\" needs a git repository with a commit; '{project.Path}' is not one.", "isolation");
            try
            {
                worktree = await _worktrees.CreateAsync(project.Path, id, cancellationToken);
            }
            catch (GitException ex)
            {
                return CreateSessionResult.Fail(ErrorCodes.GitFailed, ex.Message, "isolation");
            }
        }
        var priority = request.Priority ?? 0;
        var script = request.Script is { ValueKind: not JsonValueKind.Null } s ? s : (JsonElement?)null;
        var draft = request.Draft == true;
        var created = EventFactory.Create(id, EventTypes.SessionCreated, by.Name,
            new SessionCreatedData(project.Id, request.Prompt, runtime.Name, request.Model, priority, script,
                worktree is null ? null : new WorktreeData(worktree.Path, worktree.Branch, worktree.BaseCommit), TemplateId: templateId,
                StartedBy: by.UserId is { } starter ? new UserRefDto(starter, by.Name) : null, ByUserId: by.UserId, TokenId: by.TokenId,
                // No title: the prompt's first line stands in for it, and follows the prompt while it is edited.
                Title: request.Title?.Trim(), Description: NullIfEmpty(request.Description), Type: NullIfEmpty(request.Type), Draft: draft ? true : null, BudgetUsd: request.BudgetUsd, TriggerId: trigger?.TriggerId, SourceUrl: trigger?.SourceUrl,
                ScheduleId: links?.ScheduleId, ScheduleRunId: links?.ScheduleRunId, Retry: request.Retry, RetryOf: links?.RetryOf,
                // A session with a policy heads its own chain unless it continues one.
                Attempt: request.Retry is null ? null : links?.Attempt ?? 1, FirstAttemptId: request.Retry is null ? null : links?.FirstAttemptId ?? id,
                GatePolicy: links?.GatePolicy),
            OverseerJson.Default.SessionCreatedData);
        if (draft)
        {
            // Stored, not queued: a person edits it and starts it later (StartAsync).
            await _store.AppendAsync([created], cancellationToken);
            return new CreateSessionResult(id, null, null, null);
        }
        await _store.AppendAsync(
        [
            created,
            EventFactory.Create(id, EventTypes.SessionQueued, EventFactory.SystemActor,
                new StateChangeData(null, SessionStatus.Queued), OverseerJson.Default.StateChangeData),
        ], cancellationToken);

        var info = new SessionInfo(id, project.Id, worktree?.Path ?? project.Path, request.Prompt, runtime, request.Model, priority, script, by.Name, project.Name, by.UserId);
        AddHost(new SessionHost(info, SessionStatus.Queued, null, new UsageTotals(0, 0, 0, 0m), _services));
        _scheduler.Enqueue(id, priority);
        return new CreateSessionResult(id, null, null, null);
    }

    public Task<CommandResult> SendMessageAsync(string id, string? text, ActedBy by) =>
        string.IsNullOrWhiteSpace(text)
            ? Task.FromResult(CommandResult.Invalid("text is required and must not be empty.", ErrorCodes.InvalidField))
            : OnHostAsync(id, host => host.SendMessageAsync(text, by));

    public Task<CommandResult> InterruptAsync(string id, ActedBy by) => OnHostAsync(id, host => host.InterruptAsync(by));

    public Task<CommandResult> PauseAsync(string id, ActedBy by) => OnHostAsync(id, host => host.PauseAsync(by));

    public Task<CommandResult> ResumeAsync(string id, ActedBy by) => OnHostAsync(id, host => host.ResumeAsync(by));

    public Task<CommandResult> CancelAsync(string id, ActedBy by) => OnHostAsync(id, host => host.CancelAsync(by));

    public Task<CommandResult> CloseAsync(string id, ActedBy by) => OnHostAsync(id, host => host.CloseAsync(by));

    /// <summary>
    /// Lets a session a spent budget stopped go on: up to <paramref name="amountUsd"/> more, or until
    /// its next usage report; recorded with who approved it.
    /// </summary>
    public Task<CommandResult> ApproveOverrunAsync(string id, decimal? amountUsd, ActedBy by) =>
        BudgetCatalog.LimitProblem(amountUsd, "amountUsd", required: false) is { } problem
            ? Task.FromResult(CommandResult.Invalid(problem.Message!, problem.Code!, problem.Field))
            : OnHostAsync(id, host => host.ApproveOverrunAsync(amountUsd, by));

    /// <summary>Budgets changed: sessions a spent budget held in the queue are checked again as the queue admits them.</summary>
    public void BudgetsChanged() => _holds.ReleaseAll();

    /// <summary>Stops an idle (or person-held) session's agent process now; the next message, answer or decision resumes it.</summary>
    public Task<CommandResult> HibernateAsync(string id, ActedBy by) => OnHostAsync(id, host => host.HibernateAsync(by));

    public async Task<CommandResult> AnswerQuestionAsync(string questionId, IReadOnlyDictionary<string, JsonElement>? answers, ActedBy by, CancellationToken cancellationToken)
    {
        var question = await _readModel.GetQuestionAsync(questionId, cancellationToken);
        if (question is null)
            return CommandResult.NotFound($"No question has id '{questionId}'.", ErrorCodes.QuestionNotFound);
        if (question.Status != "pending")
            return CommandResult.InvalidState($"The question is already {question.Status}.");
        if (AnswerValidator.Validate(question.Questions, answers) is { } problem)
            return CommandResult.Invalid(problem, ErrorCodes.InvalidAnswer);
        return await OnHostAsync(question.SessionId, host => host.AnswerQuestionAsync(questionId, answers!, by));
    }

    public async Task<CommandResult> ApproveAsync(string approvalId, string? confirm, string? remember, ActedBy by, CancellationToken cancellationToken)
    {
        if (remember is not (null or "session" or "project"))
            return CommandResult.Invalid("remember must be \"session\" or \"project\".", ErrorCodes.InvalidField);
        var approval = await _readModel.GetApprovalAsync(approvalId, cancellationToken);
        if (approval is null)
            return CommandResult.NotFound($"No approval has id '{approvalId}'.", ErrorCodes.ApprovalNotFound);
        if (approval.Status != "pending")
            return CommandResult.InvalidState($"The approval is already {approval.Status}.");
        if (approval.ConfirmPhrase is { } phrase && !string.Equals(confirm?.Trim(), phrase, StringComparison.Ordinal))
            return CommandResult.Invalid($"This is a RED approval: confirm must be exactly \"{phrase}\".", ErrorCodes.ConfirmationRequired);
        var result = await OnHostAsync(approval.SessionId, host => host.DecideApprovalAsync(approvalId, approved: true, by, remember is null ? "approve" : "remember", null, remember));
        if (result.Succeeded && remember is not null && _allowRules is not null)
        {
            var session = await _readModel.GetSessionAsync(approval.SessionId, cancellationToken);
            await _allowRules.AddAsync(remember, approval.SessionId, session?.ProjectId ?? "", approval.Tool, approval.Input, by, cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// Denies an approval. With <paramref name="hibernate"/> (offered once it has waited
    /// Sessions:HibernateAfter, see <see cref="DenyAndHibernateIn"/>) the session also hibernates:
    /// its process stops and its slot frees; the agent hears of the denial with its next message.
    /// </summary>
    public async Task<CommandResult> DenyAsync(string approvalId, string? reason, ActedBy by, CancellationToken cancellationToken, bool hibernate = false)
    {
        var approval = await _readModel.GetApprovalAsync(approvalId, cancellationToken);
        if (approval is null)
            return CommandResult.NotFound($"No approval has id '{approvalId}'.", ErrorCodes.ApprovalNotFound);
        if (approval.Status != "pending")
            return CommandResult.InvalidState($"The approval is already {approval.Status}.");
        var why = string.IsNullOrWhiteSpace(reason) ? $"Denied by {by}." : $"Denied by {by}: {reason.Trim()}";
        if (!hibernate)
            return await OnHostAsync(approval.SessionId, host => host.DecideApprovalAsync(approvalId, approved: false, by, "deny", why, null));
        if (DenyAndHibernateIn(approval) is not { } wait)
            return CommandResult.InvalidState("Deny and hibernate is off: Sessions:HibernateAfter is 0.");
        if (wait > TimeSpan.Zero)
            return CommandResult.InvalidState($"Deny and hibernate is offered once an approval has waited {_services.Options.HibernateAfter}; this one can be in {wait:hh\\:mm\\:ss}.");
        return await OnHostAsync(approval.SessionId, host => host.DenyAndHibernateAsync(approvalId, why, by));
    }

    /// <summary>
    /// How long until "deny and hibernate" is offered for <paramref name="approval"/> (zero or less:
    /// it is now), by this server's clock; null when it never is (hibernation is off).
    /// </summary>
    public TimeSpan? DenyAndHibernateIn(ApprovalDto approval) =>
        _services.Options.HibernateAfter > TimeSpan.Zero
            ? approval.CreatedAt + _services.Options.HibernateAfter - _services.Time.GetUtcNow()
            : null;

    /// <summary>Provides a dependency: a new value goes into the vault under its name (granted to the session's project), or an existing secret is used.</summary>
    public async Task<CommandResult> ProvideDependencyAsync(string dependencyId, string? value, string? secret, ActedBy by, CancellationToken cancellationToken)
    {
        if ((value is null) == (secret is null) || value is { Length: 0 } || secret is { Length: 0 })
            return CommandResult.Invalid("Give exactly one of value (stored in the vault) or secret (the name of an existing secret).", ErrorCodes.InvalidField);
        var dependency = await _readModel.GetDependencyAsync(dependencyId, cancellationToken);
        if (dependency is null)
            return CommandResult.NotFound($"No dependency has id '{dependencyId}'.", ErrorCodes.DependencyNotFound);
        if (dependency.Status != "pending")
            return CommandResult.InvalidState($"The dependency is already {dependency.Status}.");
        if (_vault is null)
            return CommandResult.InvalidState("There is no vault to keep the value in.");
        var session = await _readModel.GetSessionAsync(dependency.SessionId, cancellationToken);
        var projectId = session?.ProjectId ?? "";
        if (SecretNames.Validate(dependency.Name) is { } badName)
            return CommandResult.Invalid($"The agent asked for '{dependency.Name}', which cannot be provided: {badName.Message}", badName.Code, "name");
        var secrets = await _vault.ListAsync(cancellationToken);
        if (secret is not null)
        {
            if (SecretNames.IsReserved(secret))
                return CommandResult.Invalid(SecretNames.Validate(secret)!.Value.Message, ErrorCodes.SecretNameReserved, "secret");
            var existing = secrets.FirstOrDefault(s => s.Name == secret);
            if (existing is null)
                return CommandResult.Invalid($"No secret is named '{secret}'.", ErrorCodes.SecretNotFound);
            if (existing.Projects is { } projects && !projects.Contains(projectId))
                return CommandResult.Invalid($"The secret '{secret}' is not granted to this session's project.", ErrorCodes.InvalidField);
        }
        // The agent finds the value under the name it asked for: a secret under another name is
        // stored again under that one. A name another project owns is not the agent's to take:
        // writing it would replace that project's value and widen or move its grant.
        if (value is not null || secret != dependency.Name)
        {
            var taken = secrets.FirstOrDefault(s => s.Name == dependency.Name);
            if (taken?.Projects is { } owners && !owners.Contains(projectId))
            {
                return new CommandResult(CommandOutcome.InvalidState,
                    $"A secret named '{dependency.Name}' already exists and is not granted to this session's project; providing a value would overwrite it. " +
                    "Grant it to this project in the vault (PUT /api/secrets/{name} with projects) and provide it as a secret, or have the agent ask under another name.",
                    ErrorCodes.SecretConflict, "name");
            }
            // A name already granted here keeps its grant (every project, or the same list).
            await _vault.SetAsync(dependency.Name, value ?? (await _vault.GetValueAsync(secret!, cancellationToken))!, taken is null ? [projectId] : taken.Projects, cancellationToken);
        }
        return await OnHostAsync(dependency.SessionId, host => host.ProvideDependencyAsync(dependencyId, value is null ? "secret" : "value", by));
    }

    public async Task<CommandResult> DecideReviewAsync(string reviewId, bool approved, string? feedback, ActedBy by, CancellationToken cancellationToken)
    {
        if (!approved && string.IsNullOrWhiteSpace(feedback))
            return CommandResult.Invalid("feedback is required: say what should change.", ErrorCodes.InvalidField);
        var review = await _readModel.GetReviewAsync(reviewId, cancellationToken);
        if (review is null)
            return CommandResult.NotFound($"No review has id '{reviewId}'.", ErrorCodes.ReviewNotFound);
        if (review.Status != "pending")
            return CommandResult.InvalidState($"The review is already {review.Status}.");
        return await OnHostAsync(review.SessionId, host => host.DecideReviewAsync(reviewId, approved, feedback, by));
    }

    /// <summary>Merges an isolated session's branch into its project (not while the agent is working).</summary>
    public async Task<(CommandResult Result, MergeOutcome? Outcome)> MergeAsync(string id, ActedBy by, CancellationToken cancellationToken)
    {
        var (problem, session, project) = await WorktreeSessionAsync(id, cancellationToken);
        if (problem is not null)
            return (problem, null);
        var worktree = new WorktreeInfo(session!.Worktree!.Path, session.Worktree.Branch, session.Worktree.BaseCommit);
        MergeOutcome outcome;
        try
        {
            outcome = await _worktrees!.MergeAsync(project!.Path, worktree, id, cancellationToken);
        }
        catch (GitException ex)
        {
            return (CommandResult.Invalid(ex.Message, ErrorCodes.GitFailed), null);
        }
        if (!outcome.Merged)
            return (new CommandResult(CommandOutcome.InvalidState, $"The branch {worktree.Branch} could not be merged: {outcome.Problem}. Nothing was changed.", ErrorCodes.MergeConflict), outcome);
        await _store.AppendAsync([EventFactory.Create(id, EventTypes.WorkspaceMerged, by.Name,
            new WorkspaceChangedData(worktree.Branch, outcome.Commit, outcome.FastForward, by.Name, by.UserId, by.TokenId), OverseerJson.Default.WorkspaceChangedData)], cancellationToken);
        return (CommandResult.Done, outcome);
    }

    /// <summary>Removes an isolated session's worktree and branch.</summary>
    public async Task<CommandResult> DiscardAsync(string id, ActedBy by, CancellationToken cancellationToken)
    {
        var (problem, session, project) = await WorktreeSessionAsync(id, cancellationToken);
        if (problem is not null)
            return problem;
        var worktree = new WorktreeInfo(session!.Worktree!.Path, session.Worktree.Branch, session.Worktree.BaseCommit);
        try
        {
            await _worktrees!.DiscardAsync(project!.Path, worktree, cancellationToken);
        }
        catch (GitException ex)
        {
            return CommandResult.Invalid(ex.Message, ErrorCodes.GitFailed);
        }
        await _store.AppendAsync([EventFactory.Create(id, EventTypes.WorkspaceDiscarded, by.Name,
            new WorkspaceChangedData(worktree.Branch, By: by.Name, ByUserId: by.UserId, TokenId: by.TokenId), OverseerJson.Default.WorkspaceChangedData)], cancellationToken);
        return CommandResult.Done;
    }

    private async Task<(CommandResult? Problem, SessionDto? Session, ProjectDto? Project)> WorktreeSessionAsync(string id, CancellationToken cancellationToken)
    {
        var session = await _readModel.GetSessionAsync(id, cancellationToken);
        if (session is null)
            return (CommandResult.NotFound($"No session has id '{id}'.", ErrorCodes.SessionNotFound), null, null);
        if (session.Worktree is null || _worktrees is null)
            return (new CommandResult(CommandOutcome.InvalidState, "The session has no worktree (it was not created with isolation \"worktree\").", ErrorCodes.NoWorktree), null, null);
        if (session.Worktree.State != "active")
            return (CommandResult.InvalidState($"The session's worktree was already {session.Worktree.State}."), null, null);
        if (SessionStateMachine.IsActive(session.Status))
            return (CommandResult.InvalidState($"The agent is still working (the session is {session.Status.ToWire()}); interrupt, cancel or wait for it to go idle."), null, null);
        var project = await _readModel.GetProjectAsync(session.ProjectId, cancellationToken);
        if (project is null)
            return (CommandResult.NotFound($"The session's project '{session.ProjectId}' no longer exists.", ErrorCodes.ProjectNotFound), null, null);
        return (null, session, project);
    }

    private async Task<CommandResult> OnHostAsync(string id, Func<SessionHost, Task<CommandResult>> command)
    {
        if (_stopping)
            return CommandResult.InvalidState("Overseer is shutting down.");
        while (true)
        {
            var host = await FindHostAsync(id);
            if (host is null)
            {
                return await _readModel.GetSessionAsync(id) switch
                {
                    { Status: SessionStatus.Draft } => CommandResult.InvalidState($"The session is a draft: start it first (POST /api/sessions/{id}/start)."),
                    { } ended => CommandResult.InvalidState($"The session has ended ({ended.Status.ToWire()})."),
                    null => CommandResult.NotFound($"No session has id '{id}'.", ErrorCodes.SessionNotFound),
                };
            }
            try
            {
                return await command(host);
            }
            catch (SessionEndedException) when (host.Dropped)
            {
                // It hibernated just before the command arrived: a new host from the store takes it.
                _hosts.TryRemove(new KeyValuePair<string, SessionHost>(id, host));
            }
            catch (SessionEndedException)
            {
                return CommandResult.InvalidState("The session has ended.");
            }
        }
    }

    private Task StartDispatchedAsync(string id)
    {
        if (_hosts.TryGetValue(id, out var host))
            return host.StartAsync().ContinueWith(t => LogDispatchFailed(t.Exception!, id), TaskContinuationOptions.OnlyOnFaulted);
        // Nothing to start any more: the slot it was given goes to the next.
        _scheduler.MarkInactive(id);
        return Task.CompletedTask;
    }

    private void AddHost(SessionHost host)
    {
        host.Finished += finished => _hosts.TryRemove(new KeyValuePair<string, SessionHost>(finished.Id, finished));
        _hosts[host.Id] = host;
    }

    /// <summary>The live host of a session, restoring one from the store for a session that outlived its host (restart).</summary>
    private async Task<SessionHost?> FindHostAsync(string id)
    {
        if (_hosts.TryGetValue(id, out var host))
            return host;
        await _restoreLock.WaitAsync();
        try
        {
            if (_hosts.TryGetValue(id, out host))
                return host;
            var session = await _readModel.GetSessionAsync(id);
            // A draft has no host until it is started (StartAsync makes it one).
            if (session is null || session.Status.IsTerminal() || session.Status == SessionStatus.Draft)
                return null;
            host = await RestoreHostAsync(session);
            AddHost(host);
            return host;
        }
        finally
        {
            _restoreLock.Release();
        }
    }

    private async Task<SessionHost> RestoreHostAsync(SessionDto session)
    {
        var project = await _readModel.GetProjectAsync(session.ProjectId);
        var created = (await _store.ReadSessionAsync(session.Id, 0, 1)).FirstOrDefault(e => e.Type == EventTypes.SessionCreated);
        var createdData = created?.Data.Deserialize(OverseerJson.Default.SessionCreatedData);
        var script = createdData?.Script;
        var runtime = _runtimes.TryGetValue(session.Runtime, out var r) ? r : new MissingRuntime(session.Runtime);
        var info = new SessionInfo(session.Id, session.ProjectId, createdData?.Worktree?.Path ?? project?.Path ?? "", session.Prompt, runtime, session.Model, session.Priority, script,
            created?.Actor ?? EventFactory.SystemActor, project?.Name ?? "", session.StartedBy?.Id);
        var usage = new UsageTotals(session.Usage.InputTokens, session.Usage.OutputTokens, session.Usage.CacheReadTokens, session.Usage.CostUsd);
        var restore = new SessionRestore(await _readModel.ListPendingAsync(session.Id), await _readModel.GetResumeNoteAsync(session.Id), session.RateLimitedUntil, session.Hibernated,
            session.Progress?.Phase is { } phase ? new PhaseRef(phase, session.Progress.PhaseIndex) : null);
        return new SessionHost(info, session.Status, session.AgentSessionId, usage, _services, restore);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId} could not be started")]
    private partial void LogDispatchFailed(Exception ex, string sessionId);
}

public sealed record CreateSessionResult(string? SessionId, string? Code, string? Error, string? Field)
{
    public static CreateSessionResult Fail(string code, string error, string? field) => new(null, code, error, field);
}
