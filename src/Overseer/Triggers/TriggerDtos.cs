using Overseer.Contracts.Api;

namespace Overseer.Triggers;

/// <summary>
/// One rule of a trigger: a delivery whose <c>event</c> matches (and, for a label event, whose
/// label is <c>label</c>; for a comment, whose text starts with <c>command</c>) runs
/// <c>templateId</c> with <c>parameters</c> taken from the payload. Each parameter maps a template
/// parameter to an expression: a path into the payload (<c>$.issue.title</c>, <c>$['key']</c>,
/// <c>$.labels[0].name</c>, or a JSON Pointer <c>/issue/title</c>) or one of the fields every
/// provider fills the same way (<c>event.title</c>, <c>event.body</c>, <c>event.url</c>,
/// <c>event.branch</c>, <c>event.number</c>, <c>event.author</c>, <c>event.repository</c>,
/// <c>event.label</c>, <c>event.comment</c>, <c>event.command</c>: the comment after the command).
/// <c>runtime</c> and <c>isolation</c> override the template's defaults; <c>script</c> is what the
/// scripted runtime plays (a demo, a test), as in <c>POST /api/sessions</c>.
/// </summary>
public sealed record TriggerRuleDto(
    string? Event,
    string? TemplateId,
    Dictionary<string, string>? Parameters = null,
    string? Label = null,
    string? Command = null,
    string? Runtime = null,
    string? Isolation = null,
    System.Text.Json.JsonElement? Script = null);

/// <summary>
/// How a started session's result goes back to where the work came from: as a comment
/// (<c>comment</c>, on by default for GitHub and GitLab) through the provider's API at
/// <c>apiBaseUrl</c> (GitHub's or GitLab's public one unless set: a self-hosted instance, a test
/// double) with the API token held in the vault secret <c>tokenSecret</c>. <c>includeBranch</c>
/// names the session's branch when it worked in a worktree of its own.
/// </summary>
public sealed record TriggerPostbackDto(bool? Comment = null, string? ApiBaseUrl = null, string? TokenSecret = null, bool? IncludeBranch = null);

/// <summary>
/// A trigger: <c>POST {hookUrl}</c> with the provider's signature starts sessions in
/// <c>projectId</c> as <c>owner</c> (who created it). The signing secret is shown once, when the
/// trigger is created (or its secret replaced), and kept in the vault as <c>secretName</c>.
/// </summary>
public sealed record TriggerDto(
    string Id,
    string Name,
    string Provider,
    string ProjectId,
    UserRefDto Owner,
    IReadOnlyList<TriggerRuleDto> Rules,
    TriggerPostbackDto Postback,
    bool Enabled,
    string HookUrl,
    string SecretName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary><c>provider</c> is <c>github</c>, <c>gitlab</c> or <c>generic</c>.</summary>
public sealed record CreateTriggerRequest(string? Name, string? Provider, string? ProjectId, List<TriggerRuleDto>? Rules, TriggerPostbackDto? Postback = null, bool? Enabled = null);

/// <summary>Changes what is given; the rest stays.</summary>
public sealed record UpdateTriggerRequest(string? Name = null, List<TriggerRuleDto>? Rules = null, TriggerPostbackDto? Postback = null, bool? Enabled = null);

/// <summary>A trigger just created (or its secret just replaced), with the secret: copy it into the provider's webhook settings now, it is not shown again.</summary>
public sealed record CreatedTriggerDto(TriggerDto Trigger, string Secret);

/// <summary>
/// One delivery a trigger received: its event, what it led to (<c>started</c>, <c>ignored</c>,
/// <c>failed</c>; <c>starting</c> while its session is being started), the rule that matched
/// (its index), the session, and where the comment back stands.
/// </summary>
public sealed record DeliveryDto(
    string Id,
    string TriggerId,
    DateTimeOffset ReceivedAt,
    string Event,
    string Outcome,
    string? Detail,
    int? Rule,
    string? SessionId,
    string? SourceUrl,
    DeliveryPostbackDto Postback);

/// <summary>
/// The comment back: <c>none</c> (nothing to post), <c>waiting</c> (for the session to settle),
/// <c>pending</c> (to be sent, or retried at <c>nextAttemptAt</c>), <c>sent</c> (at <c>url</c>)
/// or <c>dead</c> (every attempt failed; <c>error</c> says why).
/// </summary>
public sealed record DeliveryPostbackDto(string Status, int Attempts, DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, string? Error, string? Url);

/// <summary>What <c>POST /hooks/{id}</c> answers a provider: <c>started</c>, <c>ignored</c> (with why), <c>duplicate</c> or <c>pong</c>.</summary>
public sealed record HookAnswer(string Outcome, string? Detail = null, string? DeliveryId = null, string? SessionId = null);
