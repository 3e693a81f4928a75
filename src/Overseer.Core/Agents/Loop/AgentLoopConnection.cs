using System.Text.Json;
using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Overseer's own agent: one session's conversation with a model through an
/// <see cref="IModelClient"/>. A turn calls the model, runs the tools it asks for (each through the
/// session's gate), and calls it again with their results until it answers without a tool. The
/// conversation is the session's event log (<see cref="TranscriptLog"/>): nothing else is kept, so
/// a new connection after a restart or hibernation goes on where the log ends.
/// </summary>
internal sealed partial class AgentLoopConnection : IAgentConnection
{
    public const string ContinuePrompt = "Your last answer was cut off at the output limit. Continue exactly where it stopped, without repeating anything.";

    private readonly AgentStartContext _context;
    private readonly IModelClient _client;
    private readonly LoopSettings _settings;
    private readonly ToolCatalog _catalog;
    private readonly ToolDispatcher _dispatcher;
    private readonly ContextCompactor _compactor;
    private readonly LoopOutput _output;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _systemPrompt;
    private readonly long _fixedTokens;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopped = new();
    private TaskCompletionSource _resumed = Completed();
    private CancellationTokenSource? _turn;
    private Task _running = Task.CompletedTask;
    private bool _replaceStoredMessage;
    private bool _announced;
    private readonly IAsyncDisposable? _owned;

    public AgentLoopConnection(AgentStartContext context, IModelClient client, LoopSettings settings, ToolCatalog catalog, ToolContext tools,
        Transcript transcript, bool network, TimeProvider time, ILogger logger, IAsyncDisposable? owned = null)
    {
        _owned = owned;
        _context = context;
        _client = client;
        _settings = settings;
        _catalog = catalog;
        _logger = logger;
        _time = time;
        _output = new LoopOutput(context.Sink, transcript, _stopped.Token);
        _dispatcher = new ToolDispatcher(catalog, tools, settings.PlanMode);
        _compactor = new ContextCompactor(settings);
        _systemPrompt = SystemPrompt.Build(context.WorkingDirectory, context.ProjectName, network, settings.PlanMode, settings.Instructions, time.GetUtcNow());
        _fixedTokens = (_systemPrompt.Length + catalog.Definitions.Sum(d => d.Description.Length + d.InputSchema.GetRawText().Length)) / 4;
        // The log holds the turn's message already when it was read back (see Transcript.AddTurnMessage).
        _replaceStoredMessage = transcript.Count > 0;
        tools.ReportSandbox = data => context.Sink.EmitAsync(new AgentFact(EventTypes.AgentSandbox, JsonSerializer.SerializeToElement(data, OverseerJson.Default.AgentSandboxData)), _stopped.Token);
        tools.ReportLimit = data => context.Sink.EmitAsync(new AgentFact(EventTypes.AgentLimitReached, JsonSerializer.SerializeToElement(data, OverseerJson.Default.AgentLimitReachedData)), _stopped.Token);
    }

    public Task SendAsync(string text, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped.IsCancellationRequested)
                throw new AgentGoneException("The agent was stopped.");
            var previous = _running;
            _turn = CancellationTokenSource.CreateLinkedTokenSource(_stopped.Token);
            var token = _turn.Token;
            // The previous turn has said its last word (it only ends after its final event); its
            // task may still be returning. Never wait for it here: this runs on the session's actor.
            _running = Task.Run(async () =>
            {
                await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await RunTurnAsync(text, token);
            }, CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public Task InterruptAsync(CancellationToken cancellationToken)
    {
        lock (_output.Transcript)
            _output.Transcript.Add(new InterruptedEntry());
        lock (_gate)
            _turn?.Cancel();
        return Task.CompletedTask;
    }

    public Task PauseAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_resumed.Task.IsCompleted)
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            _resumed.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopped.CancelAsync();
        await ResumeAsync(cancellationToken);
        Task running;
        lock (_gate)
            running = _running;
        await running.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (_owned is not null)
            await _owned.DisposeAsync();
        _stopped.Dispose();
    }

    private async Task RunTurnAsync(string text, CancellationToken token)
    {
        try
        {
            lock (_output.Transcript)
            {
                _output.Transcript.AddTurnMessage(text, _replaceStoredMessage);
                _replaceStoredMessage = false;
            }
            if (!_announced)
            {
                _announced = true;
                await _output.EmitAsync(new AgentStarted(_context.SessionId, _settings.Model, _settings.Version, [.. _catalog.Definitions.Select(d => d.Name)]));
                if (_settings.Price is null && _settings.Prices is null)
                    await _output.ErrorAsync($"The {_settings.Runtime} runtime has no price for the model {_settings.Model} (its Prices setting): its calls count as costing nothing.", "no_price");
            }
            if (_client is ITurnAwareModelClient chooser)
                await chooser.BeginTurnAsync(text, token);
            await RunStepsAsync(token);
            await _output.EmitAsync(new TurnEnded());
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !_stopped.IsCancellationRequested)
        {
            await EndQuietlyAsync(async () =>
            {
                await _output.AnswerOpenCallsAsync(ConversationBuilder.InterruptedToolResult);
                await _output.EmitAsync(new TurnEnded(Interrupted: true));
            });
        }
        catch (OperationCanceledException) when (_stopped.IsCancellationRequested)
        {
            // The session is stopping the agent; it says what became of the turn.
        }
        catch (ModelRateLimitedException ex)
        {
            await EndQuietlyAsync(async () =>
            {
                await _output.AnswerOpenCallsAsync(ConversationBuilder.UnfinishedToolResult);
                var resetsAt = ex.RetryAfter is { } after ? _time.GetUtcNow() + after : (DateTimeOffset?)null;
                await _output.EmitAsync(new RateLimited(resetsAt, ex.Message));
            });
        }
        catch (ModelException ex)
        {
            await EndQuietlyAsync(async () =>
            {
                await _output.AnswerOpenCallsAsync(ConversationBuilder.UnfinishedToolResult);
                await _output.EmitAsync(new TurnEnded(ex.Message));
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogTurnFailed(ex, _context.SessionId);
            var message = $"Overseer's {_settings.Runtime} loop failed ({ex.GetType().Name}: {ex.Message}).";
            await EndQuietlyAsync(async () =>
            {
                await _output.ErrorAsync(message, "overseer_fault");
                await _output.AnswerOpenCallsAsync(ConversationBuilder.UnfinishedToolResult);
                await _output.EmitAsync(new TurnEnded(message));
            });
        }
    }

    /// <summary>Model calls and tool runs until the model answers without a tool.</summary>
    private async Task RunStepsAsync(CancellationToken token)
    {
        var continuations = 0;
        var compactedForSize = false;
        while (true)
        {
            await HeldAsync(token);
            var template = Request([]);
            await _compactor.CompactIfNeededAsync(_client, template, _output, _fixedTokens, force: false, token);
            ModelCall.Outcome outcome;
            try
            {
                List<ChatMessage> messages;
                lock (_output.Transcript)
                    messages = _output.Transcript.ToMessages();
                outcome = await ModelCall.RunAsync(_client, Request(messages), _output, _settings.PriceFor, token);
            }
            catch (ModelRequestException ex) when (ex.PromptTooLong && !compactedForSize)
            {
                compactedForSize = true;
                if (!await _compactor.CompactIfNeededAsync(_client, template, _output, _fixedTokens, force: true, token))
                    throw;
                continue;
            }
            _compactor.Measured(outcome.Usage, _output.Transcript.Count);
            if (outcome.StopReason == ModelStopReason.ContextWindowExceeded && !compactedForSize)
            {
                compactedForSize = true;
                await _compactor.CompactIfNeededAsync(_client, template, _output, _fixedTokens, force: true, token);
                continue;
            }
            if (outcome.ToolUses.Count > 0)
            {
                await RunToolsAsync(outcome.ToolUses, token);
                continuations = 0;
                continue;
            }
            if (outcome.StopReason == ModelStopReason.MaxTokens)
            {
                if (continuations++ < _settings.MaxContinuations)
                {
                    await _output.FactAsync(EventTypes.AgentContinued, new AgentContinuedData("max_tokens", ContinuePrompt), OverseerJson.Default.AgentContinuedData,
                        new ContinuedEntry(ContinuePrompt));
                    continue;
                }
                await _output.ErrorAsync($"The model stopped at its output limit ({_settings.MaxTokens} tokens) {continuations} times in a row; the turn ended there.", "max_tokens");
            }
            return;
        }
    }

    private async Task RunToolsAsync(IReadOnlyList<ToolUsePart> calls, CancellationToken token)
    {
        foreach (var call in calls)
        {
            await HeldAsync(token);
            var outcome = await _dispatcher.RunAsync(call, _output.Sink, token);
            await _output.ToolResultAsync(call.Id, outcome);
        }
    }

    private ModelRequest Request(IReadOnlyList<ChatMessage> messages) =>
        new(_settings.Model, _systemPrompt, messages, _catalog.Definitions, _settings.MaxTokens, _settings.ThinkingBudgetTokens);

    /// <summary>The last words of a turn that did not end well; the session may already be gone.</summary>
    private async Task EndQuietlyAsync(Func<Task> report)
    {
        try
        {
            await report();
        }
        catch (Exception ex) when (ex is OperationCanceledException or Sessions.SessionEndedException)
        {
        }
    }

    private async Task HeldAsync(CancellationToken token)
    {
        Task resumed;
        lock (_gate)
            resumed = _resumed.Task;
        await resumed.WaitAsync(token);
        token.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId}: the agent loop failed; the turn ends")]
    private partial void LogTurnFailed(Exception ex, string sessionId);
}
