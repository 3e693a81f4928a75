using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

/// <summary>A phase as progress names it: its name and number.</summary>
internal sealed record PhaseRef(string Name, int? Index);

/// <summary>
/// Seed 003's progress, however the agent reports it (script steps, or the text protocol's
/// <c>=== PHASE N START ===</c> and <c>[STEP …]</c> lines): the phase it began last, so a step that
/// names no phase is filed under the current one, and the events' data, cleaned to one line each.
/// Pure; the session's actor stores what it returns.
/// </summary>
internal sealed class PhaseProgress(PhaseRef? current)
{
    public const int MaxNameChars = 120;
    public const int MaxTextChars = 300;

    private PhaseRef? _current = current;

    /// <summary>A new phase; without a number it is the one after the current one (the first when there is none).</summary>
    public PhaseStartedData Start(string? name, int? index, int? total)
    {
        var number = index ?? (_current?.Index ?? 0) + 1;
        var label = name is null ? "" : SessionTasks.Label(name, MaxNameChars);
        _current = new PhaseRef(label.Length > 0 ? label : $"Phase {number}", number);
        return new PhaseStartedData(_current.Name, number, total is > 0 ? total : null);
    }

    /// <summary>A step of the current phase (or of <paramref name="phase"/> when the agent names one); the percentage is held to 0–100.</summary>
    public StepUpdatedData Step(int percent, string? text, int? step, int? steps, string? phase = null)
    {
        var named = phase is null ? null : SessionTasks.Label(phase, MaxNameChars);
        var shown = text is null ? null : SessionTasks.Label(text, MaxTextChars);
        return new StepUpdatedData(
            named is { Length: > 0 } ? named : _current?.Name,
            Math.Clamp(percent, 0, 100),
            shown is { Length: > 0 } ? shown : null,
            step,
            steps);
    }
}
