namespace Overseer.Cli.Client;

/// <summary>
/// How to follow a session: <see cref="Last"/> shows only the last N events of its history;
/// <see cref="Prompt"/> asks about pending items (attach) or only shows them (logs --follow).
/// </summary>
public sealed record AttachOptions(bool ExitOnIdle, int? Last = null, bool Prompt = true, bool Json = false, bool Plain = false);
