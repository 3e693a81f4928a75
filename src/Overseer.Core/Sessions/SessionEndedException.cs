namespace Overseer.Core.Sessions;

/// <summary>A command reached a session whose host has already stopped.</summary>
public sealed class SessionEndedException(string sessionId) : Exception($"Session {sessionId} has ended.");
