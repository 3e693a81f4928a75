using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Contracts.Text;
using Overseer.Dashboard;
using Overseer.Storage;

namespace Overseer.SignIn.Passkeys;

/// <summary>A signed-in person adds, renames and removes their own passkeys (the account page).</summary>
internal static partial class PasskeyRegistrationEndpoints
{
    public const int MaxNameLength = 64;

    public static RouteGroupBuilder MapPasskeyRegistration(this RouteGroupBuilder account)
    {
        account.MapPost("/passkeys/options", OptionsAsync);
        account.MapPost("/passkeys", RegisterAsync);
        account.MapPost("/passkeys/{id}/rename", RenameAsync);
        account.MapPost("/passkeys/{id}/remove", RemoveAsync);
        return account;
    }

    private static async Task<IResult> OptionsAsync(HttpContext context, PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, IUserStore users, IPasskeyStore passkeys)
    {
        if (await PasskeyCeremony.RefuseAsync(context, relyingParty) is { } refused)
            return refused;
        if (await OwnerAsync(context, users) is not { } user)
            return NotWhole();
        var existing = await passkeys.ListAsync(user.Id, context.RequestAborted);
        var options = relyingParty.Fido!.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = PasskeyCeremony.UserHandle(user.Id), Name = user.Name, DisplayName = user.Name },
            ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId))],
            // Discoverable, so it signs in without typing a name; verified (PIN, fingerprint), as it replaces a password.
            AuthenticatorSelection = new AuthenticatorSelection { ResidentKey = ResidentKeyRequirement.Required, UserVerification = UserVerificationRequirement.Required },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return challenges.Add(options, user.Id) is { } id ? PasskeyCeremony.Options(id, options.ToJson()) : PasskeyCeremony.Busy();
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, IUserStore users, IPasskeyStore passkeys, TimeProvider time)
    {
        if (await PasskeyCeremony.RefuseAsync(context, relyingParty) is { } refused)
            return refused;
        var (request, problem) = await JsonBody.ReadAsync(context.Request, PasskeyJson.Default.PasskeyRegisterRequest);
        if (problem is not null)
            return problem;
        if (await OwnerAsync(context, users) is not { } user)
            return NotWhole();
        var name = request!.Name?.Trim() ?? "";
        if (NameProblem(name) is { } bad)
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, bad, "name");
        if (challenges.Take(request.Challenge ?? "") is not { Options: CredentialCreateOptions options } pending || pending.UserId != user.Id)
            return PasskeyCeremony.Expired();
        RegisteredPublicKeyCredential credential;
        try
        {
            var answer = request.Credential.Deserialize(PasskeyJson.Default.AuthenticatorAttestationRawResponse)
                ?? throw new JsonException("null");
            credential = await relyingParty.Fido!.MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = answer,
                OriginalOptions = options,
                IsCredentialIdUniqueToUserCallback = async (p, ct) => await passkeys.FindAsync(p.CredentialId, ct) is null,
            }, context.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or Fido2VerificationException)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.PasskeyRefused, $"The passkey could not be registered: {ex.Message}", "credential");
        }
        if (!await passkeys.AddAsync(new PasskeyRecord(credential.Id, user.Id, credential.PublicKey, credential.SignCount, name, time.GetUtcNow()), context.RequestAborted))
            return Problems.Result(StatusCodes.Status409Conflict, ErrorCodes.PasskeyRefused, "That passkey is already registered.", "credential");
        return Results.Json(new PasskeyRegistered(PasskeyCeremony.IdOf(credential.Id), name), PasskeyJson.Default.PasskeyRegistered, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RenameAsync(string id, HttpContext context, IPasskeyStore passkeys)
    {
        if (!context.Request.HasFormContentType || !await DashboardCsrf.IsValidAsync(context))
            return await AccountEndpoints.PageAsync(context, "The page expired: reload it and try again.", StatusCodes.Status400BadRequest);
        var name = (await context.Request.ReadFormAsync(context.RequestAborted))["name"].FirstOrDefault()?.Trim() ?? "";
        if (NameProblem(name) is { } bad)
            return await AccountEndpoints.PageAsync(context, bad, StatusCodes.Status400BadRequest);
        var found = PasskeyCeremony.ParseId(id) is { } credentialId && await passkeys.RenameAsync(context.User.UserId()!, credentialId, name, context.RequestAborted);
        return await AccountEndpoints.PageAsync(context, found ? $"Passkey renamed to “{name}”." : "You have no such passkey.");
    }

    private static async Task<IResult> RemoveAsync(string id, HttpContext context, IPasskeyStore passkeys)
    {
        if (!context.Request.HasFormContentType || !await DashboardCsrf.IsValidAsync(context))
            return await AccountEndpoints.PageAsync(context, "The page expired: reload it and try again.", StatusCodes.Status400BadRequest);
        var found = PasskeyCeremony.ParseId(id) is { } credentialId && await passkeys.RemoveAsync(context.User.UserId()!, credentialId, context.RequestAborted);
        return await AccountEndpoints.PageAsync(context, found ? "Passkey removed." : "You have no such passkey.");
    }

    /// <summary>
    /// The signed-in user, when this session acts with their whole role. A session from a token
    /// with a lower ceiling may not add a passkey: the passkey would sign in with the whole role.
    /// </summary>
    private static async Task<UserRecord?> OwnerAsync(HttpContext context, IUserStore users) =>
        context.User.UserId() is { } userId && await users.FindAsync(userId, context.RequestAborted) is { DisabledAt: null } user && user.Role == context.User.Role()
            ? user
            : null;

    private static IResult NotWhole() =>
        Problems.Result(StatusCodes.Status403Forbidden, "FORBIDDEN",
            "This session acts with less than your role (a token with a lower ceiling): sign in with your password or a token with your whole role to add a passkey.");

    private static string? NameProblem(string name) =>
        name.Length is 0 or > MaxNameLength
            ? $"A passkey's name is 1 to {MaxNameLength} characters."
            : NameText.Problem(name, "name");
}
