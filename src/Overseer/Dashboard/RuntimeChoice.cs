using Overseer.Core.Sessions;

namespace Overseer.Dashboard;

/// <summary>
/// A runtime as the new-session and retry forms offer it: the server's default first and
/// preselected, one that cannot run here shown disabled with the reason /health gives.
/// </summary>
internal sealed record RuntimeChoice(string Name, bool Available, string Detail, bool IsDefault)
{
    public static IReadOnlyList<RuntimeChoice> Of(SessionManager sessions) =>
    [
        .. sessions.Runtimes
            .Select(r => new RuntimeChoice(r.Name, r.Status.Available, r.Status.Detail, r.Name == sessions.DefaultRuntime))
            .OrderByDescending(c => c.IsDefault)
            .ThenByDescending(c => c.Available)
            .ThenBy(c => c.Name, StringComparer.Ordinal),
    ];

    /// <summary>The one to preselect: the wished-for one when it can run, else the default, else any that can.</summary>
    public static string? Preselect(IReadOnlyList<RuntimeChoice> choices, string? wanted = null) =>
        choices.FirstOrDefault(c => c.Available && c.Name == wanted)?.Name
        ?? choices.FirstOrDefault(c => c.Available && c.IsDefault)?.Name
        ?? choices.FirstOrDefault(c => c.Available)?.Name;

    public string Label => Name
        + (Name == "scripted" ? " (demo, no API key)" : "")
        + (IsDefault ? " · default" : "")
        + (Available ? "" : " — unavailable: " + Detail);
}
