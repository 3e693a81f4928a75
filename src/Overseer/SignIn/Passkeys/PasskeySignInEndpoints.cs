using Overseer.Auth;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Fido2NetLib.Serialization;
using Microsoft.AspNetCore.Authentication;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Dashboard;
using Overseer.Storage;

namespace Overseer.SignIn.Passkeys;

/// <summary>
/// Signing in with a passkey: the browser asks for options (for a name, the passkeys of that
/// user; without one, any passkey the authenticator holds for this site), then sends what the
/// authenticator signed. Every answer that does not sign in says the same thing.
/// </summary>
internal static partial class PasskeySignInEndpoints
{
    private const string Refused = "That passkey is not registered here, or its user cannot sign in.";

    public static IEndpointRouteBuilder MapPasskeySignIn(this IEndpointRouteBuilder app)
    {
        app.MapPost("/login/passkey/options", OptionsAsync).AllowAnonymous().Public().RequireRateLimiting(DashboardServiceCollectionExtensions.LoginRateLimit);
        app.MapPost("/login/passkey", SignInAsync).AllowAnonymous().Public().RequireRateLimiting(DashboardServiceCollectionExtensions.LoginRateLimit);
        return app;
    }

    private static async Task<IResult> OptionsAsync(HttpContext context, PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, IUserStore users, IPasskeyStore passkeys)
    {
        if (await PasskeyCeremony.RefuseAsync(context, relyingParty) is { } refused)
            return refused;
        var (request, problem) = await JsonBody.ReadAsync(context.Request, PasskeyJson.Default.PasskeyOptionsRequest);
        if (problem is not null)
            return problem;
        var allowed = new List<PublicKeyCredentialDescriptor>();
        if (!string.IsNullOrWhiteSpace(request!.Name) && await users.FindByNameAsync(request.Name.Trim(), context.RequestAborted) is { } user)
        {
            foreach (var passkey in await passkeys.ListAsync(user.Id, context.RequestAborted))
                allowed.Add(new PublicKeyCredentialDescriptor(passkey.CredentialId));
        }
        // An unknown name gets the same options as no name: the answer does not tell which names exist.
        var options = relyingParty.Fido!.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = allowed,
            UserVerification = UserVerificationRequirement.Required,
        });
        return challenges.Add(options, null) is { } id ? PasskeyCeremony.Options(id, options.ToJson()) : PasskeyCeremony.Busy();
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, IUserStore users, IPasskeyStore passkeys,
        TimeProvider time, ILoggerFactory logs)
    {
        if (await PasskeyCeremony.RefuseAsync(context, relyingParty) is { } refused)
            return refused;
        var (request, problem) = await JsonBody.ReadAsync(context.Request, PasskeyJson.Default.PasskeySignInRequest);
        if (problem is not null)
            return problem;
        if (challenges.Take(request!.Challenge ?? "") is not { Options: AssertionOptions options, UserId: null })
            return PasskeyCeremony.Expired();
        AuthenticatorAssertionRawResponse? answer;
        try
        {
            answer = request.Credential.Deserialize(FidoModelSerializerContext.Default.AuthenticatorAssertionRawResponse);
        }
        catch (JsonException ex)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"The passkey's answer is not one: {ex.Message}", "credential");
        }
        if (answer?.RawId is null || answer.Response is null)
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "The passkey's answer is missing its id or response.", "credential");

        var log = logs.CreateLogger(typeof(PasskeySignInEndpoints));
        var stored = await passkeys.FindAsync(answer.RawId, context.RequestAborted);
        var user = stored is null ? null : await users.FindAsync(stored.UserId, context.RequestAborted);
        if (stored is null || user is null || user.DisabledAt is not null)
            return Problems.Result(StatusCodes.Status401Unauthorized, ErrorCodes.PasskeyRefused, Refused);
        try
        {
            var handle = PasskeyCeremony.UserHandle(stored.UserId);
            var result = await relyingParty.Fido!.MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = answer,
                OriginalOptions = options,
                StoredPublicKey = stored.PublicKey,
                StoredSignatureCounter = stored.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (p, _) => Task.FromResult(p.UserHandle.AsSpan().SequenceEqual(handle)),
            }, context.RequestAborted);
            await passkeys.RecordUseAsync(stored.CredentialId, result.SignCount, time.GetUtcNow(), context.RequestAborted);
        }
        catch (Fido2VerificationException ex)
        {
            AssertionRefused(log, user.Id, ex.Message);
            return Problems.Result(StatusCodes.Status401Unauthorized, ErrorCodes.PasskeyRefused, Refused);
        }
        await context.SignInAsync(DashboardServiceCollectionExtensions.Scheme, SignInPrincipals.ForUser(user, SignInMethods.Passkey), new AuthenticationProperties { IsPersistent = true });
        return Results.Json(new PasskeySignedIn(ReturnUrl.LocalOrNull(request.ReturnUrl) ?? "/"), PasskeyJson.Default.PasskeySignedIn);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A passkey sign-in for user {UserId} was refused: {Reason}")]
    private static partial void AssertionRefused(ILogger logger, string userId, string reason);
}
