namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>One block of seed 003's agent text protocol, read by <see cref="TextProtocolScanner"/>.</summary>
public abstract record ProtocolBlock;

/// <summary>
/// <c>[USER_QUESTION] … [/USER_QUESTION]</c>. <paramref name="Options"/> is empty for a free-text
/// question; labels are trimmed, unquoted and distinct, in the order written.
/// <paramref name="MultiSelect"/> is false unless the block says <c>multi_select: true</c>.
/// </summary>
public sealed record UserQuestionBlock(string? Category, string Question, IReadOnlyList<string> Options, bool MultiSelect) : ProtocolBlock;

/// <summary>
/// <c>[DEPENDENCY_REQUEST] … [/DEPENDENCY_REQUEST]</c>. <paramref name="Type"/> is lower-cased
/// (<c>api_key</c>, <c>env_var</c>, …; any token is accepted); <paramref name="Name"/> is as written
/// and not validated here (whether it is a usable environment variable name is the caller's policy).
/// <paramref name="Required"/> is true when the block does not say.
/// </summary>
public sealed record DependencyRequestBlock(string Type, string Name, string? Description, bool Required) : ProtocolBlock;

/// <summary><c>=== PHASE N COMPLETE ===</c> with N a positive integer.</summary>
public sealed record PhaseCompleteBlock(int Phase) : ProtocolBlock;

/// <summary>
/// <c>=== PHASE N START ===</c>, with the number of phases (<c>=== PHASE 2 OF 4 START ===</c>) and a
/// name (<c>=== PHASE 2 START: Design ===</c>) when the agent gives them. N is a positive integer and
/// at most <paramref name="Total"/>.
/// </summary>
public sealed record PhaseStartBlock(int Phase, int? Total, string? Name) : ProtocolBlock;

/// <summary>
/// A line that starts with <c>[STEP 40%]</c> or <c>[STEP 3/7]</c> (step 3 of 7: 42%): how far the
/// agent is in its current phase. <paramref name="Text"/> is the rest of the line, trimmed (null when empty).
/// </summary>
public sealed record StepBlock(int Percent, int? Step, int? Steps, string? Text) : ProtocolBlock;

/// <summary><c>[ERROR] … [/ERROR]</c>. <paramref name="Type"/> is lower-cased when present.</summary>
public sealed record ErrorBlock(string? Type, string Message) : ProtocolBlock;

/// <summary>
/// A block that was closed (or cut off) but could not be read; reported so nothing is dropped silently.
/// <paramref name="Kind"/> is <c>USER_QUESTION</c>, <c>DEPENDENCY_REQUEST</c>, <c>ERROR</c>, <c>PHASE</c> or <c>STEP</c>.
/// <paramref name="Raw"/> is the text between the markers, trimmed (the marker itself for a phase,
/// the first <see cref="TextProtocolScanner.MaxRawInMalformed"/> characters for an oversized block).
/// <paramref name="Problem"/> says what was wrong, in words for people.
/// </summary>
public sealed record MalformedBlock(string Kind, string Raw, string Problem) : ProtocolBlock;
