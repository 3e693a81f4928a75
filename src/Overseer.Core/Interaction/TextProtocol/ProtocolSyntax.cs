using System.Text.RegularExpressions;

namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>
/// The markers. All are case-insensitive and allow a little whitespace inside. Every pattern has a
/// bounded length (except a leading run of <c>=</c>, which still matches on its last three), so the
/// scanner only has to look back <see cref="Lookbehind"/> characters when a chunk arrives.
/// </summary>
internal static partial class ProtocolSyntax
{
    public const int Lookbehind = 128;

    /// <summary>How much of a line's start is examined to decide whether it opens a block.</summary>
    public const int HeadLength = 64;

    /// <summary><c>[USER_QUESTION]</c>, <c>[ DEPENDENCY_REQUEST ]</c>, <c>[error]</c>: only at the start of a line.</summary>
    [GeneratedRegex(@"^\[[ \t]{0,8}(?<kind>USER_QUESTION|DEPENDENCY_REQUEST|ERROR)[ \t]{0,8}\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex OpenMarker();

    /// <summary><c>[/USER_QUESTION]</c> and friends: anywhere inside an open block.</summary>
    [GeneratedRegex(@"\[[ \t]{0,8}/[ \t]{0,8}(?<kind>USER_QUESTION|DEPENDENCY_REQUEST|ERROR)[ \t]{0,8}\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex CloseMarker();

    /// <summary><c>=== PHASE 2 COMPLETE ===</c> anywhere on a line; the number is checked afterwards.</summary>
    [GeneratedRegex(@"={3,}[ \t]{0,8}PHASE(?<n>[^=\r\n]{0,40}?)COMPLETE[ \t]{0,8}={3}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex PhaseMarker();

    /// <summary><c>key: value</c> inside a block; the key is a word (letters, digits, <c>_</c>, <c>-</c>).</summary>
    [GeneratedRegex(@"^(?<key>[A-Za-z][A-Za-z0-9_-]{0,31})[ \t]*:(?<value>.*)$", RegexOptions.CultureInvariant)]
    public static partial Regex Field();

    /// <summary>A list item: <c>- a</c>, <c>* a</c>, <c>• a</c>, <c>1. a</c>, <c>1) a</c>.</summary>
    [GeneratedRegex(@"^(?:[-*•+]|\d{1,3}[.)])[ \t]+", RegexOptions.CultureInvariant)]
    public static partial Regex Bullet();
}
