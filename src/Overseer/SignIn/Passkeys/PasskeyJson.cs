using System.Text.Json;
using System.Text.Json.Serialization;
using Fido2NetLib;

namespace Overseer.SignIn.Passkeys;

/// <summary>What the dashboard's passkey script sends. <c>Credential</c> is the browser's <c>PublicKeyCredential.toJSON()</c>.</summary>
internal sealed record PasskeyOptionsRequest(string? Name);

internal sealed record PasskeySignInRequest(string Challenge, JsonElement Credential, string? ReturnUrl);

internal sealed record PasskeyRegisterRequest(string Challenge, string Name, JsonElement Credential);

internal sealed record PasskeySignedIn(string Redirect);

internal sealed record PasskeyRegistered(string Id, string Name);

/// <summary>
/// Source-generated JSON for the passkey requests, and for the Fido2 attestation answer that
/// Fido2's own context does not include.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PasskeyOptionsRequest))]
[JsonSerializable(typeof(PasskeySignInRequest))]
[JsonSerializable(typeof(PasskeyRegisterRequest))]
[JsonSerializable(typeof(PasskeySignedIn))]
[JsonSerializable(typeof(PasskeyRegistered))]
[JsonSerializable(typeof(AuthenticatorAttestationRawResponse))]
internal sealed partial class PasskeyJson : JsonSerializerContext;
