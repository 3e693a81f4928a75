namespace Overseer.Contracts.Api;

/// <summary>
/// What a person may do, from most to least. A user has one global role; owners and admins have
/// it in every project, operators and viewers only in the projects they are members of, with the
/// role their membership gives. A token carries a role too, as a ceiling: a read-only token of
/// an operator is a viewer token.
/// </summary>
public static class Roles
{
    /// <summary>Everything, including users and settings.</summary>
    public const string Owner = "owner";

    /// <summary>Projects, policy, secrets and every session.</summary>
    public const string Admin = "admin";

    /// <summary>Runs sessions and decides approvals, questions and reviews in their projects.</summary>
    public const string Operator = "operator";

    /// <summary>Reads the sessions and transcripts of their projects; decides nothing.</summary>
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Owner, Admin, Operator, Viewer];

    public static bool IsKnown(string? role) => role is Owner or Admin or Operator or Viewer;

    /// <summary>Higher is more: owner 4, admin 3, operator 2, viewer 1, anything else 0.</summary>
    public static int Rank(string? role) => role switch
    {
        Owner => 4,
        Admin => 3,
        Operator => 2,
        Viewer => 1,
        _ => 0,
    };

    /// <summary>Whether <paramref name="role"/> is at least <paramref name="required"/>.</summary>
    public static bool AtLeast(string? role, string required) => Rank(role) >= Rank(required) && Rank(role) > 0;

    /// <summary>The lesser of two roles (a token's ceiling applied to its user's role).</summary>
    public static string Min(string a, string b) => Rank(a) <= Rank(b) ? a : b;
}
