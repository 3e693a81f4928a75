using Overseer.Storage;
using Microsoft.AspNetCore.Authentication;

namespace Overseer.Auth;

public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddApiAuth(this IServiceCollection services)
    {
        services.AddSingleton<ApiTokenCache>();
        services.AddSingleton<TokenPrincipals>();
        services.AddSingleton<ProjectAccess>();
        services.AddSingleton<ApprovalRights>();
        services.AddSingleton<BudgetRights>();
        services.AddSingleton<UserAdmin>();
        services.AddSingleton(new Microsoft.AspNetCore.Identity.PasswordHasher<UserRecord>());
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<AccessRevocations>();
        services.AddSingleton<TokenManager>();
        services.AddSingleton<TokenUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenUsage>());
        services.AddAuthentication(ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddHostedService<AdminTokenBootstrap>();
        return services;
    }
}
