namespace Overseer.Auth;

/// <summary>
/// The one call to make after anything that changes what someone may do: a user disabled,
/// removed or given another role, a password changed, a token revoked, a membership changed.
/// It forgets the cached token principals and memberships, and moves <see cref="Version"/> on, so
/// every dashboard cookie is checked against the store again on its next request.
/// </summary>
public sealed class AccessChanges(ApiTokenCache tokens, ProjectAccess projects)
{
    private long _version;

    /// <summary>Changes with every <see cref="Changed"/>; what was checked under an older one is checked again.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Changed()
    {
        // The caches first: a cookie re-checked the moment the version moves must not find an old token principal.
        tokens.Clear();
        projects.Invalidate();
        Interlocked.Increment(ref _version);
    }
}
