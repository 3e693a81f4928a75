using Overseer.Contracts.Api;

namespace Overseer.Auth;

/// <summary>Where an endpoint finds the project its permission is checked in.</summary>
public enum ProjectFrom
{
    /// <summary>No project: the caller's global role is checked (lists filter to visible projects themselves).</summary>
    None,
    /// <summary>The route value is a project id.</summary>
    Project,
    /// <summary>The route value is a session id: its project.</summary>
    Session,
    Approval,
    Question,
    Review,
    Dependency,
    /// <summary>The route value is a user id: allowed for that user themselves, else the role is checked globally.</summary>
    Self,
    /// <summary>The route value is a schedule id: its project.</summary>
    Schedule,
}

/// <summary>
/// The permission an endpoint declares: the least role, and where the project is that the role is
/// needed in. Every endpoint carries one (the role matrix test fails on any that does not), and
/// <see cref="PermissionMiddleware"/> enforces it before the handler runs.
/// </summary>
public sealed record Permission(string Role, ProjectFrom From = ProjectFrom.None, string RouteKey = "id")
{
    /// <summary>Open to anyone, signed in or not (health, sign-in, static files, the WebSocket upgrade which authenticates in its protocol).</summary>
    public static Permission Public { get; } = new("");

    public bool IsPublic => Role.Length == 0;

    /// <summary>Human words for the 403: "the operator role in the session's project".</summary>
    public string Describe() => From switch
    {
        ProjectFrom.None or ProjectFrom.Self => $"the {Role} role",
        ProjectFrom.Project => $"the {Role} role in this project",
        _ => $"the {Role} role in the {From.ToString().ToLowerInvariant()}'s project",
    };
}

public static class PermissionEndpointExtensions
{
    /// <summary>Declares that the endpoint needs at least <paramref name="role"/> globally.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, string role) where TBuilder : IEndpointConventionBuilder =>
        builder.Requires(new Permission(Roles.IsKnown(role) ? role : throw new ArgumentException($"Unknown role '{role}'.", nameof(role))));

    /// <summary>Declares that the endpoint needs at least <paramref name="role"/> in the project found from its route value.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, string role, ProjectFrom from, string routeKey = "id") where TBuilder : IEndpointConventionBuilder =>
        builder.Requires(new Permission(role, from, routeKey));

    public static TBuilder Requires<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder
    {
        // The last declaration wins: a route may narrow what its group declared.
        builder.Add(endpoint =>
        {
            for (var i = endpoint.Metadata.Count - 1; i >= 0; i--)
            {
                if (endpoint.Metadata[i] is Permission)
                    endpoint.Metadata.RemoveAt(i);
            }
            endpoint.Metadata.Add(permission);
        });
        return builder;
    }

    /// <summary>Declares the endpoint open to anyone.</summary>
    public static TBuilder Public<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Requires(Permission.Public);
}
