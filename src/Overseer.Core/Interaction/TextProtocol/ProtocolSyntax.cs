using System.Text.RegularExpressions;

namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>
/// The markers. All are case-insensitive and allow a little whitespace inside. Every pattern has a
/// bounded length (except a leading run of <c>=</c>, which still matches on its last three), so the
/// scanner only has to look back <see cref="Lookbehind"/> characters when a chunk arrives.
/// </summary>
internal static partial class ProtocolSyntax
{
    public const int Lookbehind = 192;

    /// <summary>How much of a line's start is examined to decide whether it opens a block.</summary>
    public const int HeadLength = 64;

    /// <summary><c>[USER_QUESTION]</c>, <c>[ DEPENDENCY_REQUEST ]</c>, <c>[error]</c>: only at the start of a line.</summary>
    [GeneratedRegex(@"^\[[ \t]{0,8}(?<kind>USER_QUESTION|DEPENDENCY_REQUEST|ERROR)[ \t]{0,8}\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex OpenMarker();

    /// <summary><c>[/USER_QUESTION]</c> and friends: anywhere inside an open block.</summary>
    [GeneratedRegex(@"\[[ \t]{0,8}/[ \t]{0,8}(?<kind>USER_QUESTION|DEPENDENCY_REQUEST|ERROR)[ \t]{0,8}\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex CloseMarker();

    /// <summary>
    /// A phase marker anywhere on a line: <c>=== PHASE 2 START ===</c> (with <c>OF 4</c> after the number
    /// and <c>: name</c> before the end when given; the group <c>start</c> is the number), or
    /// <c>=== PHASE 2 COMPLETE ===</c> (the group <c>n</c>, checked afterwards). A start is tried
    /// first, so a name that says "complete" is still a name. At most 153 characters after the first three <c>=</c>.
    /// </summary>
    [GeneratedRegex(@"={3,}[ \t]{0,8}PHASE(?:[ \t]{1,8}(?<start>\d{1,4})(?:[ \t]{1,8}OF[ \t]{1,8}(?<total>\d{1,4}))?[ \t]{1,8}START(?:ED)?(?:[ \t]{0,8}:[ \t]{0,8}(?<name>[^=\r\n]{1,60}?))?|(?<n>[^=\r\n]{0,40}?)COMPLETE)[ \t]{0,8}={3}",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex PhaseMarker();

    /// <summary><c>[STEP 40%]</c> or <c>[STEP 3/7]</c>: only at the start of a line; the rest of the line says what the step is.</summary>
    [GeneratedRegex(@"^\[[ \t]{0,8}STEP[ \t]{1,8}(?:(?<percent>\d{1,4})[ \t]{0,2}%|(?<step>\d{1,4})[ \t]{0,2}/[ \t]{0,2}(?<steps>\d{1,4}))[ \t]{0,8}\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex StepMarker();

    /// <summary><c>key: value</c> inside a block; the key is a word (letters, digits, <c>_</c>, <c>-</c>).</summary>
    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9_-]{0,31})[ \t]*:(?<value>.*)$", RegexOptions.CultureInvariant)]
    public static partial Regex Field();

    /// <summary>A list item: <c>- a</c>, <c>* a</c>, <c>• a</c>, <c>1. a</c>, <c>1) a</c>.</summary>
    [GeneratedRegex(@"^(?:[-*•+]|\d{1,3}[.)])[ \t]+", RegexOptions.CultureInvariant)]
    public static partial Regex Bullet();
}
