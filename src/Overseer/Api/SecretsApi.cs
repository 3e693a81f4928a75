using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Secrets;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>The vault: values go in and never come out (names, scopes and dates only).</summary>
public static class SecretsApi
{
    public static RouteGroupBuilder MapSecretsApi(this RouteGroupBuilder api)
    {
        // Secrets are the admins': every route says so itself.
        var secrets = api.MapGroup("/secrets");
        secrets.MapGet("", async (SecretVault vault, CancellationToken ct) =>
            TypedResults.Ok(new ListResponse<SecretDto>((await vault.ListAsync(ct)).Select(ToDto).ToList(), null))).Requires(Roles.Admin);
        secrets.MapGet("/{name}", async (string name, SecretVault vault, CancellationToken ct) =>
            (await vault.ListAsync(ct)).FirstOrDefault(s => s.Name == name) is { } secret
                ? TypedResults.Ok(ToDto(secret))
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.SecretNotFound, $"No secret is named '{name}'.")).Requires(Roles.Admin);
        secrets.MapPut("/{name}", PutAsync).Requires(Roles.Admin);
        secrets.MapDelete("/{name}", async (string name, SecretVault vault, CancellationToken ct) =>
            await vault.DeleteAsync(name, ct)
                ? TypedResults.NoContent()
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.SecretNotFound, $"No secret is named '{name}'.")).Requires(Roles.Admin);
        return api;
    }

    private static async Task<IResult> PutAsync(string name, HttpContext context, SecretVault vault, IReadModel readModel)
    {
        if (SecretNames.Validate(name) is { } badName)
            return Problems.Result(StatusCodes.Status400BadRequest, badName.Code, badName.Message, "name");
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.PutSecretRequest);
        if (problem is not null)
            return problem;
        if (string.IsNullOrEmpty(request!.Value))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "value is required.", "value");
        if (request.Value.Length > SecretVault.MaxValueChars)
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"value may be at most {SecretVault.MaxValueChars} characters.", "value");
        if (request.Projects is { } projects)
        {
            foreach (var projectId in projects)
            {
                if (await readModel.GetProjectAsync(projectId, context.RequestAborted) is null)
                    return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.ProjectNotFound, $"No project has id '{projectId}'.", "projects");
            }
        }
        var secret = await vault.SetAsync(name, request.Value, request.Projects, context.RequestAborted);
        return TypedResults.Ok(ToDto(secret));
    }

    private static SecretDto ToDto(SecretInfo secret) => new(secret.Name, secret.Projects, secret.CreatedAt, secret.UpdatedAt);
}
