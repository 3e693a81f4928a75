using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Overseer.Auth;
using Overseer.Dashboard;
using Overseer.SignIn.Oidc;
using Overseer.SignIn.Passkeys;
using Overseer.Storage;

namespace Overseer.SignIn;

public static class SignInServiceCollectionExtensions
{
    /// <summary>
    /// Dashboard sign-in besides API tokens: passwords, passkeys, single sign-on; the sign-in rate
    /// limits; and the check of every cookie against the store (<see cref="AccessChanges"/>).
    /// </summary>
    public static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessChanges>();
        services.TryAddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<CookieSessionValidator>();
        services.AddOptions<DashboardOptions>()
            .Validate(o => o.LoginAttemptsPerUserPerMinute is >= 1 and <= 10_000, "Dashboard:LoginAttemptsPerUserPerMinute must be between 1 and 10000.");
        services.AddRateLimiter(o => o.AddPolicy<string, SignInRateLimitPolicy>(DashboardServiceCollectionExtensions.LoginRateLimit));

        services.AddOptions<PasskeyOptions>().BindConfiguration(PasskeyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PasskeyOptions>, PasskeyOptionsValidator>();
        services.AddSingleton<PasskeyRelyingParty>();
        services.AddSingleton<PasskeyChallenges>();

        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        services.AddSingleton<OidcUserLinker>();
        new AuthenticationBuilder(services).AddOidcSignIn(configuration);
        return services;
    }

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapPasskeySignIn();
        app.MapOidcSignIn();
        app.MapAccount();
        return app;
    }
}
