using Microsoft.Extensions.Options;
using Overseer.Contracts.Api;

namespace Overseer.SignIn.Oidc;

/// <summary>Single sign-on settings that cannot work stop the server at start-up, each named.</summary>
internal sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions o)
    {
        if (!o.IsEnabled)
        {
            return o.ClientId is null && o.GroupMappings.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Auth:Oidc:Authority must be set for the other Auth:Oidc settings to mean anything.");
        }
        var errors = new List<string>();
        if (!Uri.TryCreate(o.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp)
            || authority.Query.Length > 0 || authority.Fragment.Length > 0)
            errors.Add($"Auth:Oidc:Authority must be the provider's issuer URL (https://…), not '{o.Authority}'.");
        else if (authority.Scheme != Uri.UriSchemeHttps && !authority.IsLoopback)
            errors.Add($"Auth:Oidc:Authority must be https: the provider's keys and tokens must not cross the network in clear ({o.Authority}).");
        if (string.IsNullOrWhiteSpace(o.ClientId))
            errors.Add("Auth:Oidc:ClientId must be set: the client id registered for Overseer at the provider.");
        if (string.IsNullOrWhiteSpace(o.DisplayName) || o.DisplayName.Length > 64)
            errors.Add("Auth:Oidc:DisplayName must be 1 to 64 characters.");
        if (!Roles.IsKnown(o.DefaultRole) || o.DefaultRole == Roles.Owner)
            errors.Add($"Auth:Oidc:DefaultRole must be admin, operator or viewer, not '{o.DefaultRole}'.");
        if (string.IsNullOrWhiteSpace(o.GroupsClaim))
            errors.Add("Auth:Oidc:GroupsClaim must name a claim.");
        if (string.IsNullOrWhiteSpace(o.NameClaim))
            errors.Add("Auth:Oidc:NameClaim must name a claim.");
        foreach (var scope in o.Scopes.Where(s => string.IsNullOrWhiteSpace(s) || s.Any(char.IsWhiteSpace)))
            errors.Add($"Auth:Oidc:Scopes entries must be single words, not '{scope}'.");
        for (var i = 0; i < o.GroupMappings.Count; i++)
        {
            var mapping = o.GroupMappings[i];
            if (string.IsNullOrWhiteSpace(mapping.Group))
                errors.Add($"Auth:Oidc:GroupMappings:{i}:Group must name a group.");
            if (!Roles.IsKnown(mapping.Role))
                errors.Add($"Auth:Oidc:GroupMappings:{i}:Role must be one of {string.Join(", ", Roles.All)}, not '{mapping.Role}'.");
            else if (mapping.ProjectId is not null && mapping.Role == Roles.Owner)
                errors.Add($"Auth:Oidc:GroupMappings:{i}:Role: a project membership is admin, operator or viewer, not owner.");
            if (mapping.ProjectId is { } project && string.IsNullOrWhiteSpace(project))
                errors.Add($"Auth:Oidc:GroupMappings:{i}:ProjectId is empty: leave it out for a global role.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
