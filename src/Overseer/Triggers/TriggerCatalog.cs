using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Secrets;
using Overseer.Core.Sessions;
using Overseer.Notifications;
using Overseer.Storage.Triggers;

namespace Overseer.Triggers;

/// <summary>
/// Creating, changing and removing triggers for the API and the dashboard alike. A trigger is the
/// business of its project's admins: whoever cannot see the project is told there is no such
/// trigger; whoever sees it without the admin role is refused. The signing secret is made here
/// (never chosen by a client: no weak secrets), shown once, and kept in the vault.
/// </summary>
internal sealed class TriggerCatalog(ITriggerStore store, TriggerRules rules, SecretVault vault, ProjectAccess access, NotificationUrls urls, TimeProvider time)
{
    public const int MaxNameChars = 100;
    private const string IdPrefix = "trg";

    public async Task<IReadOnlyList<TriggerDto>> ListAsync(ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var visible = new List<TriggerDto>();
        foreach (var trigger in await store.ListAsync(cancellationToken))
        {
            if (await access.HasAsync(caller, trigger.ProjectId, Roles.Admin, cancellationToken))
                visible.Add(ToDto(trigger));
        }
        return visible;
    }

    /// <summary>The trigger if the caller may manage it; else the problem (404 when they cannot see its project, 403 when they are no admin there).</summary>
    public async Task<(TriggerRecord? Trigger, ApiProblem? Problem)> FindAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var trigger = await store.FindAsync(id, cancellationToken);
        var role = trigger is null ? null : await access.RoleInAsync(caller, trigger.ProjectId, cancellationToken);
        if (trigger is null || role is null)
            return (null, NotFound(id));
        if (!Roles.AtLeast(role, Roles.Admin))
            return (null, new ApiProblem(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"Triggers need the admin role in their project; you have the {role} role."));
        return (trigger, null);
    }

    public async Task<(CreatedTriggerDto? Created, ApiProblem? Problem)> CreateAsync(ClaimsPrincipal caller, CreateTriggerRequest request, CancellationToken cancellationToken)
    {
        if (caller.UserId() is not { } ownerId)
            return (null, new ApiProblem(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Only a signed-in user can own a trigger: its sessions start as them."));
        if (NameProblem(request.Name) is { } badName)
            return (null, badName);
        if (request.Provider is not { } provider || !TriggerProviders.All.Contains(provider))
            return (null, Invalid("provider", $"provider must be one of: {string.Join(", ", TriggerProviders.All)}."));
        if (string.IsNullOrWhiteSpace(request.ProjectId))
            return (null, Invalid("projectId", "projectId is required: the project the sessions work in."));
        var role = await access.RoleInAsync(caller, request.ProjectId, cancellationToken);
        if (role is null)
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.ProjectNotFound, $"No project has id '{request.ProjectId}'.", "projectId"));
        if (!Roles.AtLeast(role, Roles.Admin))
            return (null, new ApiProblem(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"Triggers need the admin role in project '{request.ProjectId}'; you have the {role} role.", "projectId"));
        if (await rules.CheckAsync(provider, request.Rules, cancellationToken) is { } badRules)
            return (null, badRules);
        var (postback, badPostback) = await PostbackAsync(provider, request.Postback, cancellationToken);
        if (badPostback is not null)
            return (null, badPostback);
        var id = Ids.New(IdPrefix);
        var secret = NewSecret();
        var secretName = SecretNameFor(id);
        await vault.SetOwnAsync(secretName, secret, cancellationToken);
        var now = time.GetUtcNow();
        var record = new TriggerRecord(id, request.Name!.Trim(), provider, request.ProjectId, ownerId, caller.Name(), secretName,
            JsonSerializer.Serialize(request.Rules!, TriggerJson.Default.ListTriggerRuleDto), JsonSerializer.Serialize(postback!, TriggerJson.Default.TriggerPostbackDto),
            request.Enabled ?? true, now, now);
        await store.AddAsync(record, cancellationToken);
        return (new CreatedTriggerDto(ToDto(record), secret), null);
    }

    public async Task<(TriggerDto? Trigger, ApiProblem? Problem)> UpdateAsync(ClaimsPrincipal caller, string id, UpdateTriggerRequest request, CancellationToken cancellationToken)
    {
        var (trigger, refused) = await FindAsync(caller, id, cancellationToken);
        if (trigger is null)
            return (null, refused);
        if (request.Name is not null && NameProblem(request.Name) is { } badName)
            return (null, badName);
        if (request.Rules is not null && await rules.CheckAsync(trigger.Provider, request.Rules, cancellationToken) is { } badRules)
            return (null, badRules);
        var postback = Postback(trigger);
        if (request.Postback is not null)
        {
            (postback, var badPostback) = await PostbackAsync(trigger.Provider, request.Postback, cancellationToken);
            if (badPostback is not null)
                return (null, badPostback);
        }
        var changed = trigger with
        {
            Name = request.Name?.Trim() ?? trigger.Name,
            Rules = request.Rules is null ? trigger.Rules : JsonSerializer.Serialize(request.Rules, TriggerJson.Default.ListTriggerRuleDto),
            Postback = JsonSerializer.Serialize(postback!, TriggerJson.Default.TriggerPostbackDto),
            Enabled = request.Enabled ?? trigger.Enabled,
            UpdatedAt = time.GetUtcNow(),
        };
        return await store.UpdateAsync(changed, cancellationToken) ? (ToDto(changed), null) : (null, NotFound(id));
    }

    /// <summary>Replaces the signing secret; the old one stops working at once.</summary>
    public async Task<(CreatedTriggerDto? Created, ApiProblem? Problem)> RotateSecretAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var (trigger, refused) = await FindAsync(caller, id, cancellationToken);
        if (trigger is null)
            return (null, refused);
        var secret = NewSecret();
        await vault.SetOwnAsync(trigger.SecretName, secret, cancellationToken);
        var changed = trigger with { UpdatedAt = time.GetUtcNow() };
        await store.UpdateAsync(changed, cancellationToken);
        return (new CreatedTriggerDto(ToDto(changed), secret), null);
    }

    public async Task<ApiProblem?> DeleteAsync(ClaimsPrincipal caller, string id, CancellationToken cancellationToken)
    {
        var (trigger, refused) = await FindAsync(caller, id, cancellationToken);
        if (trigger is null)
            return refused;
        await store.RemoveAsync(id, cancellationToken);
        await vault.DeleteAsync(trigger.SecretName, cancellationToken);
        return null;
    }

    public async Task<(IReadOnlyList<DeliveryDto>? Deliveries, ApiProblem? Problem)> DeliveriesAsync(ClaimsPrincipal caller, string id, int limit, CancellationToken cancellationToken)
    {
        var (trigger, refused) = await FindAsync(caller, id, cancellationToken);
        if (trigger is null)
            return (null, refused);
        return ([.. (await store.ListDeliveriesAsync(id, limit, cancellationToken)).Select(ToDto)], null);
    }

    public TriggerDto ToDto(TriggerRecord t) => new(t.Id, t.Name, t.Provider, t.ProjectId, new UserRefDto(t.OwnerId, t.OwnerName), RulesOf(t), Postback(t),
        t.Enabled, urls.Absolute("/hooks/" + t.Id), t.SecretName, t.CreatedAt, t.UpdatedAt);

    public static DeliveryDto ToDto(DeliveryRecord d) => new(d.Id, d.TriggerId, d.ReceivedAt, d.Event, d.Outcome, d.Detail, d.RuleIndex, d.SessionId, d.SourceUrl,
        new DeliveryPostbackDto(d.PostbackStatus, d.PostbackAttempts, d.PostbackAt, d.PostbackStatus == PostbackStatuses.Pending ? d.PostbackDueAt : null, d.PostbackError, d.PostbackUrl));

    public static IReadOnlyList<TriggerRuleDto> RulesOf(TriggerRecord t) => JsonSerializer.Deserialize(t.Rules, TriggerJson.Default.ListTriggerRuleDto) ?? [];

    public static TriggerPostbackDto Postback(TriggerRecord t) => JsonSerializer.Deserialize(t.Postback, TriggerJson.Default.TriggerPostbackDto) ?? new TriggerPostbackDto(false);

    /// <summary>The vault name of a trigger's secret: in the reserved family, so it never reaches an agent.</summary>
    public static string SecretNameFor(string triggerId) => SecretVault.OwnPrefix + "TRIGGER_" + triggerId.ToUpperInvariant();

    /// <summary>
    /// The post-back settings with their defaults filled in: a comment for GitHub and GitLab (none
    /// for generic senders, who have no API), the provider's public API, the branch named.
    /// </summary>
    private async Task<(TriggerPostbackDto? Postback, ApiProblem? Problem)> PostbackAsync(string provider, TriggerPostbackDto? given, CancellationToken cancellationToken)
    {
        var comment = given?.Comment ?? provider != TriggerProviders.Generic;
        if (!comment)
            return (new TriggerPostbackDto(false, null, null, given?.IncludeBranch ?? true), null);
        if (provider == TriggerProviders.Generic)
            return (null, Invalid("postback.comment", "A generic trigger has no provider API to comment through: leave postback.comment false."));
        var baseUrl = string.IsNullOrWhiteSpace(given?.ApiBaseUrl) ? TriggerProviders.DefaultApiBaseUrl(provider)! : given.ApiBaseUrl.Trim().TrimEnd('/');
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            return (null, Invalid("postback.apiBaseUrl", "postback.apiBaseUrl must be an http or https address without a query, such as https://github.example.com/api/v3."));
        var tokenSecret = given?.TokenSecret?.Trim();
        if (string.IsNullOrEmpty(tokenSecret))
            return (null, Invalid("postback.tokenSecret", $"postback.tokenSecret is required to comment: the name of the vault secret holding the {(provider == TriggerProviders.GitHub ? "GitHub" : "GitLab")} API token (PUT /api/secrets/NAME first)."));
        if (SecretNames.Validate(tokenSecret) is { } badSecret)
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, badSecret.Code, badSecret.Message, "postback.tokenSecret"));
        if ((await vault.ListAsync(cancellationToken)).All(s => s.Name != tokenSecret))
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.SecretNotFound, $"No secret is named '{tokenSecret}': store the API token first (PUT /api/secrets/{tokenSecret}).", "postback.tokenSecret"));
        return (new TriggerPostbackDto(true, baseUrl, tokenSecret, given?.IncludeBranch ?? true), null);
    }

    private static ApiProblem? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return Invalid("name", "name is required and must not be empty.");
        if (name.Trim().Length > MaxNameChars || name.Any(char.IsControl))
            return Invalid("name", $"name must be one line of at most {MaxNameChars} characters.");
        return null;
    }

    private static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static ApiProblem NotFound(string id) => new(StatusCodes.Status404NotFound, TriggerErrors.TriggerNotFound, $"No trigger has id '{id}'.");

    private static ApiProblem Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, message, field);
}
