using Overseer.Contracts.Events;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard.Live;

/// <summary>The sessions board: any change to a session re-renders the card list, in its attention order (at most four times a second).</summary>
public sealed class BoardView(DashboardData data, System.Security.Claims.ClaimsPrincipal viewer, SessionStatus? status, string? projectId, string? type = null) : LiveView(data, viewer)
{
    private bool _dirty;

    public override TimeSpan MinInterval => TimeSpan.FromMilliseconds(250);

    protected override bool HasViewChanges => _dirty;

    protected override void ObserveView(EventEnvelope e)
    {
        if (e.SessionId is not null && e.Type is not (EventTypes.AgentText or EventTypes.AgentThinking or EventTypes.AgentRaw or EventTypes.AgentStderr or EventTypes.ToolResult))
            _dirty = true;
        else if (e.Type is EventTypes.ProjectCreated or EventTypes.ProjectDeleted)
            _dirty = true;
    }

    protected override async Task RenderViewAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken)
    {
        if (!_dirty)
            return;
        _dirty = false;
        var sessions = await Data.SessionsAsync(Viewer, status, projectId, type, cancellationToken);
        await batch.AddAsync<SessionCards>(new Dictionary<string, object?>
        {
            [nameof(SessionCards.Sessions)] = sessions,
            [nameof(SessionCards.Projects)] = await Data.ProjectsAsync(Viewer, cancellationToken),
            [nameof(SessionCards.Filtered)] = status is not null || projectId is not null || type is not null,
            [nameof(SessionCards.SwapOob)] = true,
        });
    }
}
