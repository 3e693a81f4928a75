using Overseer.Contracts.Events;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard.Live;

/// <summary>
/// One session's page: new events are appended to the transcript (a tool's result goes into its
/// call), the header, the answer bar and the composer follow state and usage, and pending items come and go in place.
/// </summary>
public sealed class SessionView(DashboardData data, System.Security.Claims.ClaimsPrincipal viewer, string sessionId) : LiveView(data, viewer)
{
    private readonly List<EventEnvelope> _transcript = [];
    private readonly InboxView _pending = new(data, viewer, "pending", "beforeend", sessionId);
    private bool _headerChanged;
    // The composer is re-rendered only when what it offers changes (the first time, to be sure).
    private SessionComposer.ComposerMode? _composerMode;

    protected override bool HasViewChanges => _transcript.Count > 0 || _headerChanged || _pending.HasChanges;

    protected override void ObserveView(EventEnvelope e)
    {
        if (e.SessionId != sessionId)
            return;
        _transcript.Add(e);
        _pending.Observe(e);
        if (e.Type.StartsWith("session.", StringComparison.Ordinal) || e.Type.StartsWith("workspace.", StringComparison.Ordinal)
            || e.Type.StartsWith("budget.", StringComparison.Ordinal)
            || e.Type is EventTypes.UsageUpdated or EventTypes.AgentHibernated or EventTypes.AgentStarted or EventTypes.PhaseStarted or EventTypes.StepUpdated
            || DashboardData.ItemKey(e) is not null)
            _headerChanged = true;
    }

    protected override async Task RenderViewAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken)
    {
        if (_transcript.Count > 0)
        {
            var items = Transcript.Pair(_transcript);
            var appended = false;
            foreach (var (e, result) in items)
            {
                if (e.Type == EventTypes.ToolResult && Format.String(e.Data, "toolUseId") is { } toolUseId)
                {
                    // The call is already on the page: the result goes inside it.
                    CloseAppend(batch, ref appended);
                    batch.AddRaw($"<div id=\"{Format.DomId("result", toolUseId)}\" hx-swap-oob=\"innerHTML\">");
                    await batch.AddAsync<ToolResult>(new Dictionary<string, object?> { [nameof(ToolResult.Event)] = e });
                    batch.AddRaw("</div>");
                    continue;
                }
                if (!appended)
                {
                    batch.AddRaw("<div hx-swap-oob=\"beforeend:#transcript\">");
                    appended = true;
                }
                await batch.AddAsync<EventItem>(new Dictionary<string, object?> { [nameof(EventItem.Event)] = e, [nameof(EventItem.Result)] = result });
            }
            CloseAppend(batch, ref appended);
            _transcript.Clear();
        }
        if (_headerChanged)
        {
            _headerChanged = false;
            var session = await Data.ReadModel.GetSessionAsync(sessionId, cancellationToken);
            if (session is null)
            {
                // Deleted while the page was open: say so where its state was.
                batch.AddRaw("<section id=\"session-head\" class=\"session-head\" hx-swap-oob=\"true\"><p class=\"reason\" id=\"session-deleted\">This session was deleted. <a href=\"/\">Back to the sessions</a></p></section>");
            }
            else
            {
                await batch.AddAsync<SessionHeader>(new Dictionary<string, object?>
                {
                    [nameof(SessionHeader.Session)] = session,
                    [nameof(SessionHeader.Project)] = await Data.ReadModel.GetProjectAsync(session.ProjectId, cancellationToken),
                    [nameof(SessionHeader.SwapOob)] = true,
                });
                await batch.AddAsync<BudgetBanner>(new Dictionary<string, object?>
                {
                    [nameof(BudgetBanner.SessionId)] = session.Id,
                    [nameof(BudgetBanner.Hold)] = await Data.BudgetHoldAsync(Viewer, session, cancellationToken),
                    [nameof(BudgetBanner.SwapOob)] = true,
                });
                await batch.AddAsync<AnswerBar>(new Dictionary<string, object?>
                {
                    [nameof(AnswerBar.Pending)] = session.Pending,
                    [nameof(AnswerBar.SwapOob)] = true,
                });
                var mode = SessionComposer.ModeOf(session.Status);
                if (mode != _composerMode)
                {
                    _composerMode = mode;
                    await batch.AddAsync<SessionComposer>(new Dictionary<string, object?>
                    {
                        [nameof(SessionComposer.Session)] = session,
                        [nameof(SessionComposer.SwapOob)] = true,
                    });
                }
            }
        }
        if (_pending.HasChanges)
            await _pending.RenderAsync(batch, cancellationToken);
    }

    private static void CloseAppend(FragmentRenderer.Batch batch, ref bool appended)
    {
        if (appended)
            batch.AddRaw("</div>");
        appended = false;
    }
}
