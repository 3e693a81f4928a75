using System.Net;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Triggers;
using static Overseer.Tests.Triggers.TriggerKit;

namespace Overseer.Tests.Triggers;

/// <summary>
/// Webhooks from a provider to a real server on loopback, signed here with the trigger's secret as
/// the provider signs them; the session runs the scripted runtime, and its result goes back to a
/// fake of the provider's API, also on loopback.
/// </summary>
public sealed class TriggerWebhookTests : ServerTest
{
    private FakeProviderApi _api = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:PublicUrl"] = "https://overseer.example",
        ["Triggers:RetryBaseDelay"] = "00:00:00.100",
        ["Triggers:RetryMaxDelay"] = "00:00:00.400",
        // Enough attempts to still be retrying after a restart (about 20 s of them).
        ["Triggers:MaxAttempts"] = "50",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _api = await FakeProviderApi.StartAsync();
        await PutSecretAsync(Client, "GITHUB_TOKEN", GitHubToken);
    }

    public override async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<(string ProjectId, CreatedTriggerDtoAlias Trigger)> GitHubSetupAsync(string extraRules = "")
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var template = await CreateTemplateAsync(Client);
        var created = await CreateTriggerAsync(Client, GitHubTrigger(project.Id, template, _api.BaseUrl, extraRules));
        return (project.Id, new CreatedTriggerDtoAlias(created.Trigger.Id, created.Secret));
    }

    [Fact]
    public async Task GitHubIssueOpened_SignedWithTheSecret_StartsTheTemplate_AndPostsTheResultBackOnce()
    {
        var (projectId, trigger) = await GitHubSetupAsync();
        using var github = Anonymous(Server);
        var delivery = Guid.NewGuid().ToString();

        var (status, answer) = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, IssueOpened, delivery: delivery));

        status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        answer.GetProperty("outcome").GetString().ShouldBe("started");
        var sessionId = answer.GetProperty("sessionId").GetString()!;
        var session = await Client.GetSessionAsync(sessionId);
        session.Prompt.ShouldBe("Fix issue #42: Parser drops the last line\n\nFeed it a file without a trailing newline.\n\nhttps://github.com/octo/widgets/issues/42");
        session.TriggerId.ShouldBe(trigger.Id);
        session.SourceUrl.ShouldBe("https://github.com/octo/widgets/issues/42");
        session.StartedBy!.Name.ShouldBe("admin", "a trigger starts sessions as the person who made it");

        var comment = (await _api.WaitForAsync(1))[0];
        comment.Method.ShouldBe("POST");
        comment.Path.ShouldBe("/api/v3/repos/octo/widgets/issues/42/comments");
        comment.Header("Authorization").ShouldBe("Bearer " + GitHubToken);
        comment.Header("Accept").ShouldBe("application/vnd.github+json");
        comment.CommentBody.ShouldContain(Result);
        comment.CommentBody.ShouldContain($"https://overseer.example/sessions/{sessionId}");
        comment.CommentBody.ShouldContain("$0.0123");
        comment.CommentBody.ShouldStartWith("<!-- overseer:trigger " + trigger.Id);
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Idle);

        var deliveries = await WaitForPostbackAsync(Client, trigger.Id, p => p.Status == "sent", "the post-back recorded as sent");
        deliveries.Count.ShouldBe(1);
        deliveries[0].Event.ShouldBe("issues.opened");
        deliveries[0].Outcome.ShouldBe("started");
        deliveries[0].Rule.ShouldBe(0);
        deliveries[0].SessionId.ShouldBe(sessionId);
        deliveries[0].Postback.Url.ShouldBe("https://github.example/comments/1001");
        deliveries[0].Postback.Attempts.ShouldBe(1);

        // GitHub's "Redeliver" sends the same delivery id; a replay under a new id has the same body.
        var again = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, IssueOpened, delivery: delivery));
        again.Status.ShouldBe(HttpStatusCode.OK);
        again.Body.GetProperty("outcome").GetString().ShouldBe("duplicate");
        var replay = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, IssueOpened));
        replay.Body.GetProperty("outcome").GetString().ShouldBe("duplicate");
        (await SessionsAsync(Client, projectId)).Count.ShouldBe(1, "a redelivery starts nothing new");
        (await DeliveriesAsync(Client, trigger.Id)).Count.ShouldBe(1);
        _api.Requests.Count.ShouldBe(1, "one comment per delivery");
    }

    [Fact]
    public async Task GitHub_WithABadOrMissingSignature_Answers401_AndStartsAndStoresNothing()
    {
        var (projectId, trigger) = await GitHubSetupAsync();
        using var github = Anonymous(Server);

        var wrongSecret = await SendAsync(github, GitHub(trigger.Id, "whsec_not_the_secret", IssueOpened));
        wrongSecret.Status.ShouldBe(HttpStatusCode.Unauthorized);
        wrongSecret.Body.GetProperty("code").GetString().ShouldBe("BAD_SIGNATURE");

        var tampered = GitHub(trigger.Id, trigger.Secret, IssueOpened);
        tampered.Content = new StringContent(IssueOpened.Replace("Parser", "Please run rm -rf", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
        (await SendAsync(github, tampered)).Status.ShouldBe(HttpStatusCode.Unauthorized, "the signature covers the body");

        var unsigned = GitHub(trigger.Id, trigger.Secret, IssueOpened);
        unsigned.Headers.Remove("X-Hub-Signature-256");
        (await SendAsync(github, unsigned)).Status.ShouldBe(HttpStatusCode.Unauthorized);

        (await SendAsync(github, GitHub("trg_nosuchtrigger0000", trigger.Secret, IssueOpened))).Status.ShouldBe(HttpStatusCode.NotFound);
        (await SessionsAsync(Client, projectId)).ShouldBeEmpty();
        (await DeliveriesAsync(Client, trigger.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task UnmatchedEvents_AreIgnoredWithTheirReason_CommandsMatch_AndOwnCommentsNever()
    {
        var (projectId, trigger) = await GitHubSetupAsync("""
            , {"event": "issue_comment.created", "command": "/overseer fix", "templateId": "TEMPLATE", "runtime": "scripted", "script": [{"say": "on it"}],
               "parameters": {"number": "event.number", "title": "event.command", "url": "$.comment.html_url"}}
            """.Replace("TEMPLATE", await CreateTemplateAsync(Client), StringComparison.Ordinal));
        using var github = Anonymous(Server);

        var closed = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, IssueOpened.Replace("\"opened\"", "\"closed\"", StringComparison.Ordinal)));
        closed.Status.ShouldBe(HttpStatusCode.Accepted);
        closed.Body.GetProperty("outcome").GetString().ShouldBe("ignored");
        closed.Body.GetProperty("detail").GetString().ShouldBe("No rule is for issues.closed.");

        const string Comment = """
            {"action": "created", "issue": {"number": 7, "title": "Flaky test", "html_url": "https://github.com/octo/widgets/issues/7", "pull_request": {}},
             "comment": {"body": "COMMENT", "html_url": "https://github.com/octo/widgets/pull/7#issuecomment-1", "user": {"login": "mona"}},
             "repository": {"full_name": "octo/widgets"}}
            """;
        var chatter = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, Comment.Replace("COMMENT", "looks good to me", StringComparison.Ordinal), "issue_comment"));
        chatter.Body.GetProperty("outcome").GetString().ShouldBe("ignored");
        chatter.Body.GetProperty("detail").GetString()!.ShouldContain("wants a comment starting with '/overseer fix'");

        var ours = await SendAsync(github, GitHub(trigger.Id, trigger.Secret,
            Comment.Replace("COMMENT", "<!-- overseer:trigger x -->\\n/overseer fix again", StringComparison.Ordinal), "issue_comment"));
        ours.Body.GetProperty("detail").GetString().ShouldBe("The comment is one Overseer posted.");

        var command = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, Comment.Replace("COMMENT", "/overseer fix the retry loop in sync.go", StringComparison.Ordinal), "issue_comment"));
        command.Status.ShouldBe(HttpStatusCode.Accepted, command.Body.ToString());
        var session = await Client.GetSessionAsync(command.Body.GetProperty("sessionId").GetString()!);
        session.Prompt.ShouldStartWith("Fix issue #7: the retry loop in sync.go\n\n(no description)");
        var comment = (await _api.WaitForAsync(1))[0];
        comment.Path.ShouldBe("/api/v3/repos/octo/widgets/issues/7/comments", "a pull request takes comments as an issue does");

        var malformed = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, "{\"action\": \"opened\", "));
        malformed.Status.ShouldBe(HttpStatusCode.BadRequest);
        malformed.Body.GetProperty("code").GetString().ShouldBe("INVALID_JSON");

        var ping = await SendAsync(github, GitHub(trigger.Id, trigger.Secret, "{\"zen\": \"Keep it simple.\"}", "ping"));
        ping.Status.ShouldBe(HttpStatusCode.OK);
        ping.Body.GetProperty("outcome").GetString().ShouldBe("pong");

        (await SessionsAsync(Client, projectId)).Count.ShouldBe(1);
        var deliveries = await DeliveriesAsync(Client, trigger.Id);
        deliveries.Select(d => d.Event).ShouldBe(["ping", "issue_comment.created", "issue_comment.created", "issue_comment.created", "issues.closed"]);
        deliveries.Select(d => d.Outcome).ShouldBe(["ignored", "started", "ignored", "ignored", "ignored"]);
        deliveries[0].Detail!.ShouldContain("signature is right");
        deliveries[^1].Detail.ShouldBe("No rule is for issues.closed.");
    }

    [Fact]
    public async Task GitLabIssueHook_WithItsToken_StartsTheTemplate_AndCommentsThroughGitLabsApi()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var template = await CreateTemplateAsync(Client);
        await PutSecretAsync(Client, "GITLAB_TOKEN", "glpat-test-token");
        var created = await CreateTriggerAsync(Client, $$$"""
            {"name": "gitlab issues", "provider": "gitlab", "projectId": "{{{project.Id}}}",
             "rules": [{"event": "issues.opened", "templateId": "{{{template}}}", "runtime": "scripted", "script": {{{Script}}},
                        "parameters": {"number": "event.number", "title": "event.title", "body": "event.body", "url": "$.object_attributes.url"}}],
             "postback": {"apiBaseUrl": "{{{_api.BaseUrl}}}", "tokenSecret": "GITLAB_TOKEN"}}
            """);
        const string Hook = """
            {"object_kind": "issue", "user": {"username": "ada"}, "project": {"id": 7, "path_with_namespace": "team/widgets"},
             "object_attributes": {"iid": 3, "title": "Crash on empty input", "description": "Segfault when stdin is empty.",
                                   "url": "https://gitlab.example/team/widgets/-/issues/3", "action": "open"}}
            """;
        using var gitlab = Anonymous(Server);

        var wrong = await SendAsync(gitlab, GitLab(created.Trigger.Id, "not-the-token", Hook));
        wrong.Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await SessionsAsync(Client, project.Id)).ShouldBeEmpty();

        var (status, answer) = await SendAsync(gitlab, GitLab(created.Trigger.Id, created.Secret, Hook));
        status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        var session = await Client.GetSessionAsync(answer.GetProperty("sessionId").GetString()!);
        session.Prompt.ShouldBe("Fix issue #3: Crash on empty input\n\nSegfault when stdin is empty.\n\nhttps://gitlab.example/team/widgets/-/issues/3");

        var note = (await _api.WaitForAsync(1))[0];
        note.Path.ShouldBe("/api/v3/projects/7/issues/3/notes");
        note.Header("PRIVATE-TOKEN").ShouldBe("glpat-test-token");
        note.Header("Authorization").ShouldBeNull();
        note.CommentBody.ShouldContain(Result);
        var deliveries = await WaitForPostbackAsync(Client, created.Trigger.Id, p => p.Status == "sent", "the GitLab note recorded");
        deliveries[0].Postback.Url.ShouldBe("https://gitlab.example/team/widgets/-/issues/3#note_1001");
    }

    [Fact]
    public async Task Generic_SignedWithATimestamp_Starts_AndAStaleTimestampIsRefused()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var template = await CreateTemplateAsync(Client);
        var created = await CreateTriggerAsync(Client, $$$"""
            {"name": "alerts", "provider": "generic", "projectId": "{{{project.Id}}}",
             "rules": [{"event": "alert.fired", "templateId": "{{{template}}}", "runtime": "scripted", "script": {{{Script}}},
                        "parameters": {"number": "$.alert.id", "title": "event.title", "url": "event.url"}}]}
            """);
        created.Trigger.Postback.Comment.ShouldBe(false, "a generic sender has no API to comment through");
        const string Alert = """{"title": "Disk 91% full on build-01", "url": "https://grafana.example/d/disk", "alert": {"id": 5521}}""";
        using var sender = Anonymous(Server);

        var stale = await SendAsync(sender, Generic(created.Trigger.Id, created.Secret, Alert, DateTimeOffset.UtcNow.AddMinutes(-10), "alert.fired"));
        stale.Status.ShouldBe(HttpStatusCode.Unauthorized, "a captured delivery cannot be replayed later");
        (await SessionsAsync(Client, project.Id)).ShouldBeEmpty();

        var (status, answer) = await SendAsync(sender, Generic(created.Trigger.Id, created.Secret, Alert, DateTimeOffset.UtcNow, "alert.fired"));
        status.ShouldBe(HttpStatusCode.Accepted, answer.ToString());
        var session = await Client.GetSessionAsync(answer.GetProperty("sessionId").GetString()!);
        session.Prompt.ShouldStartWith("Fix issue #5521: Disk 91% full on build-01");
        var other = await SendAsync(sender, Generic(created.Trigger.Id, created.Secret, """{"title": "x"}""", DateTimeOffset.UtcNow, "deploy.done"));
        other.Body.GetProperty("outcome").GetString().ShouldBe("ignored");
        (await DeliveriesAsync(Client, created.Trigger.Id))[^1].Postback.Status.ShouldBe("none");
    }

    [Fact]
    public async Task Postback_WhileTheProviderIsDown_IsRetriedWithBackoff_AndSurvivesARestart()
    {
        var (_, trigger) = await GitHubSetupAsync();
        _api.FailNext(1_000);
        using (var github = Anonymous(Server))
            (await SendAsync(github, GitHub(trigger.Id, trigger.Secret, IssueOpened))).Status.ShouldBe(HttpStatusCode.Accepted);
        var failing = await WaitForPostbackAsync(Client, trigger.Id, p => p.Attempts >= 2, "two failed post-back attempts");
        failing[0].Postback.Status.ShouldBe("pending");
        failing[0].Postback.Error!.ShouldContain("HTTP 502");

        await RestartAsync();
        _api.FailNext(0);

        var sent = await WaitForPostbackAsync(Client, trigger.Id, p => p.Status == "sent", "the post-back sent after the restart");
        sent[0].Postback.Attempts.ShouldBeGreaterThan(2);
        _api.Requests.Count.ShouldBe(1);
        _api.Requests[0].CommentBody.ShouldContain(Result);
    }

    private sealed record CreatedTriggerDtoAlias(string Id, string Secret);
}
