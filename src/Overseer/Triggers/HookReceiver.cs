using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Secrets;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;
using Overseer.Notifications;
using Overseer.Storage;
using Overseer.Storage.Triggers;

namespace Overseer.Triggers;

/// <summary>
/// <c>POST /hooks/{id}</c>: a provider's delivery. Its signature is its authentication (providers
/// cannot hold our tokens): checked before anything else is read, and a refusal stores nothing.
/// A signed delivery is claimed once per delivery id and per body, so a redelivery or a replay
/// starts nothing; the first rule it matches starts its template as the trigger's owner, and the
/// delivery waits for the session to settle to post its result back.
/// </summary>
internal sealed partial class HookReceiver : IDisposable
{
    private readonly ITriggerStore _store;
    private readonly TriggerRules _rules;
    private readonly TemplateCatalog _templates;
    private readonly SecretVault _vault;
    private readonly IUserStore _users;
    private readonly ProjectAccess _access;
    private readonly PostbackSignal _signal;
    private readonly TriggerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HookReceiver> _logger;
    private readonly PartitionedRateLimiter<string> _limiter;

    public HookReceiver(ITriggerStore store, TriggerRules rules, TemplateCatalog templates, SecretVault vault, IUserStore users, ProjectAccess access,
        PostbackSignal signal, IOptions<TriggerOptions> options, TimeProvider time, ILogger<HookReceiver> logger)
    {
        (_store, _rules, _templates, _vault, _users, _access, _signal, _options, _time, _logger) = (store, rules, templates, vault, users, access, signal, options.Value, time, logger);
        var perMinute = _options.PerTriggerPerMinute;
        // One permit back every 60/N seconds, up to N at once: a burst is fine, a flood is not.
        _limiter = PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            AutoReplenishment = true,
            QueueLimit = 0,
        }));
    }

    public async Task<IResult> ReceiveAsync(string id, HttpContext context)
    {
        var trigger = await _store.FindAsync(id, context.RequestAborted);
        if (trigger is null)
            return Problems.Result(StatusCodes.Status404NotFound, TriggerErrors.TriggerNotFound, $"No trigger has id '{id}'.");
        var body = await ReadBodyAsync(context);
        if (body is null)
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, $"The body is larger than this server takes from a hook (Triggers:MaxBodyBytes, {_options.MaxBodyBytes} bytes).");
        var secret = await _vault.GetValueAsync(trigger.SecretName, context.RequestAborted);
        var refusal = secret is null
            ? $"its secret {trigger.SecretName} is missing from the vault (replace it: POST /api/triggers/{id}/secret)"
            : HookSignatures.Problem(trigger.Provider, context.Request.Headers, body, secret, _time.GetUtcNow(), _options.ReplayWindow);
        if (refusal is not null)
        {
            Refused(_logger, id, trigger.Provider, refusal, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Problems.Result(StatusCodes.Status401Unauthorized, TriggerErrors.BadSignature, "The delivery is not signed with this trigger's secret.");
        }
        if (!trigger.Enabled)
            return Problems.Result(StatusCodes.Status409Conflict, TriggerErrors.TriggerDisabled, $"Trigger '{id}' is disabled.");
        using (var lease = _limiter.AttemptAcquire(id))
        {
            if (!lease.IsAcquired)
            {
                var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Problems.Result(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                    $"Too many deliveries for trigger '{id}': it takes {_options.PerTriggerPerMinute} a minute (Triggers:PerTriggerPerMinute).");
            }
        }
        JsonElement payload;
        try
        {
            payload = Payload(context.Request, body);
        }
        catch (JsonException ex)
        {
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, $"The body is not JSON: {ex.Message.Split('.')[0]}.");
        }
        var hook = ProviderPayloads.Read(trigger.Provider, context.Request, payload);
        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var key = DeliveryKey(trigger.Provider, context.Request.Headers) ?? "sha256:" + hash;
        var deliveryId = Ids.New("dlv");
        var now = _time.GetUtcNow();
        // Nothing below is the caller's to cancel: a delivery once claimed is seen through.
        var ct = CancellationToken.None;
        if (hook.Name == ProviderPayloads.Ping)
        {
            // Kept in the deliveries list: the first sign, when setting a webhook up, that it works.
            const string Pong = "The provider's ping: the webhook reaches Overseer and its signature is right.";
            await _store.ClaimDeliveryAsync(new DeliveryRecord(deliveryId, id, key, hash, now, ProviderPayloads.Ping, DeliveryOutcomes.Ignored, Pong), ct);
            return TypedResults.Json(new HookAnswer("pong", Pong), TriggerJson.Default.HookAnswer);
        }
        var ruleList = TriggerCatalog.RulesOf(trigger);
        var (match, why) = TriggerRules.Match(trigger.Provider, ruleList, hook);
        if (match is null)
        {
            var ignored = new DeliveryRecord(deliveryId, id, key, hash, now, EventName(hook), DeliveryOutcomes.Ignored, why);
            return await _store.ClaimDeliveryAsync(ignored, ct)
                ? Answer(StatusCodes.Status202Accepted, new HookAnswer(DeliveryOutcomes.Ignored, why, deliveryId))
                : Duplicate();
        }
        var postback = TriggerCatalog.Postback(trigger);
        var target = postback.Comment == true && hook.Target is { } t ? JsonSerializer.Serialize(t, TriggerJson.Default.PostbackTarget) : null;
        var claim = new DeliveryRecord(deliveryId, id, key, hash, now, hook.Name, DeliveryOutcomes.Starting, null, match.Index, SourceUrl: hook.Url, Target: target);
        if (!await _store.ClaimDeliveryAsync(claim, ct))
            return Duplicate();
        var (sessionId, failure) = await StartAsync(trigger, match, hook, ct);
        if (sessionId is null)
        {
            await _store.FinishDeliveryAsync(deliveryId, DeliveryOutcomes.Failed, failure, null, PostbackStatuses.None, ct);
            RuleFailed(_logger, id, deliveryId, failure!);
            return Problems.Result(StatusCodes.Status422UnprocessableEntity, TriggerErrors.RuleFailed, $"Rule {match.Index} matched {hook.Name} but started nothing: {failure}");
        }
        await _store.FinishDeliveryAsync(deliveryId, DeliveryOutcomes.Started, null, sessionId, target is null ? PostbackStatuses.None : PostbackStatuses.Waiting, ct);
        // The session may have settled already: the post-back must not wait for the next one.
        _signal.Wake();
        Started(_logger, id, deliveryId, hook.Name, sessionId);
        return Answer(StatusCodes.Status202Accepted, new HookAnswer(DeliveryOutcomes.Started, $"Rule {match.Index} started template {match.Rule.TemplateId}.", deliveryId, sessionId));
    }

    /// <summary>The session's id, or why none started: the owner's rights now, then the template's own checks.</summary>
    private async Task<(string? SessionId, string? Failure)> StartAsync(TriggerRecord trigger, RuleMatch match, HookEvent hook, CancellationToken cancellationToken)
    {
        var owner = await _users.FindAsync(trigger.OwnerId, cancellationToken);
        if (owner is null || owner.DisabledAt is not null)
            return (null, $"The trigger's owner ({trigger.OwnerName}) {(owner is null ? "no longer exists" : "is disabled")}; a trigger starts sessions as its owner.");
        if (!await _access.HasAsync(UserPrincipal.For(owner), trigger.ProjectId, Roles.Operator, cancellationToken))
            return (null, $"The trigger's owner ({owner.Name}) can no longer start sessions in project '{trigger.ProjectId}'.");
        var parameters = await _rules.ParametersAsync(match, hook, cancellationToken);
        var request = new RunTemplateRequest(trigger.ProjectId, parameters, match.Rule.Runtime, null, match.Rule.Isolation, Script: match.Rule.Script);
        var (created, failure) = await _templates.RunAsync(match.Rule.TemplateId!, request, new ActedBy(owner.Name, owner.Id, null), cancellationToken, trigger:
            new TriggerOrigin(trigger.Id, hook.Url));
        if (failure is not null)
            return (null, failure.Message);
        return created!.SessionId is { } sessionId ? (sessionId, null) : (null, created.Error);
    }

    /// <summary>The raw body, at most Triggers:MaxBodyBytes of it; null when it is larger.</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var limit = _options.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
            return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.Length > limit ? null : buffer.ToArray();
    }

    /// <summary>The JSON payload; GitHub sends it as the form field <c>payload</c> when the hook's content type is form-encoded.</summary>
    private static JsonElement Payload(HttpRequest request, byte[] body)
    {
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            return JsonDocument.Parse(form.TryGetValue("payload", out var payload) ? payload.ToString() : "").RootElement.Clone();
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string? DeliveryKey(string provider, IHeaderDictionary headers)
    {
        var header = provider switch
        {
            TriggerProviders.GitHub => "X-GitHub-Delivery",
            TriggerProviders.GitLab => "X-Gitlab-Event-UUID",
            _ => "Idempotency-Key",
        };
        var value = headers[header].ToString().Trim();
        return value.Length is > 0 and <= 200 ? provider + ":" + value : null;
    }

    private static string EventName(HookEvent hook) => hook.Name.Length == 0 ? "(none)" : hook.Name.Length > 100 ? hook.Name[..100] : hook.Name;

    private static IResult Answer(int status, HookAnswer answer) => TypedResults.Json(answer, TriggerJson.Default.HookAnswer, statusCode: status);

    private static IResult Duplicate() => Answer(StatusCodes.Status200OK, new HookAnswer("duplicate", "This delivery (or the same body) was received before; nothing new was started."));

    public void Dispose() => _limiter.Dispose();

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Hook for trigger {TriggerId} ({Provider}) refused from {Remote}: {Reason}")]
    private static partial void Refused(ILogger logger, string triggerId, string provider, string reason, string remote);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Trigger {TriggerId} delivery {DeliveryId} ({Event}) started session {SessionId}")]
    private static partial void Started(ILogger logger, string triggerId, string deliveryId, string @event, string sessionId);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Trigger {TriggerId} delivery {DeliveryId} matched a rule but started nothing: {Detail}")]
    private static partial void RuleFailed(ILogger logger, string triggerId, string deliveryId, string detail);
}
