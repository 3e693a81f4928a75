using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.Notifications;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.Tests.Notifications;

public sealed class ActionLinkTests : ServerTest
{
    private WebhookReceiver _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await Client.CreateChannelAsync("webhook", new { url = _receiver.Url.ToString() });
        _receiver.Secret = secret!;
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task RedApproval_LinkAsksForThePhrase_AWrongOneKeepsTheLink_TheRightOneApproves()
    {
        var (sessionId, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "git push --force origin main");
        var phrase = (await Client.ApprovalAsync(approvalId)).GetProperty("confirmPhrase").GetString()!;
        var delivery = (await _receiver.WaitForAsync(1)).Single();
        var approve = delivery.Item().GetProperty("actions").EnumerateArray().First(a => a.GetProperty("action").GetString() == "approve");
        approve.GetProperty("oneTap").GetBoolean().ShouldBeFalse();
        var url = approve.GetProperty("url").GetString()!;

        using var anonymous = new HttpClient();
        var page = await anonymous.GetStringAsync(url);
        page.ShouldContain("RED");
        page.ShouldContain(WebUtility.HtmlEncode(phrase));
        page.ShouldContain("name=\"confirm\"");

        using (var tapped = await NotificationTestKit.TapAsync(url))
        {
            tapped.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await tapped.Content.ReadAsStringAsync()).ShouldContain("Phrase did not match");
        }
        using (var wrong = await NotificationTestKit.TapAsync(url, "yes"))
            wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");

        using (var right = await NotificationTestKit.TapAsync(url, phrase))
            right.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await Client.ApprovalAsync(approvalId)).GetProperty("decidedBy").GetString().ShouldBe("admin");
        using var replay = await NotificationTestKit.TapAsync(url, phrase);
        replay.StatusCode.ShouldBe(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task ExpiredLink_IsRefused_AndDecidesNothing()
    {
        var (_, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");
        var links = Server.Service<ActionLinks>();
        var claim = links.NewClaim("approval", approvalId, "u_admin", "approve") with { Expires = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds() };

        using var refused = await NotificationTestKit.TapAsync(links.Url(claim));
        refused.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("expired");
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");
    }

    [Fact]
    public async Task TamperedLinks_AreRefused_AndDecideNothing()
    {
        var (_, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");
        var deny = (await _receiver.WaitForAsync(1)).Single().ActionUrl("deny");
        var token = deny[(deny.LastIndexOf('/') + 1)..];
        var payload = token[..token.IndexOf('.')];
        // The same signature on a payload that says approve instead of deny.
        var claim = JsonDocument.Parse(Base64Url.DecodeFromChars(payload)).RootElement;
        var turned = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claim.GetRawText().Replace("\"deny\"", "\"approve\"")));
        var root = deny[..(deny.LastIndexOf('/') + 1)];

        foreach (var forged in new[] { turned + token[token.IndexOf('.')..], payload + ".AAAA", payload, token[..^2] + (token[^2] == 'A' ? "BB" : "AA") })
        {
            using var refused = await NotificationTestKit.TapAsync(root + forged);
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden, forged);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("Link not valid");
        }
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");
    }

    [Fact]
    public async Task QuestionLink_AnswersWithItsOption_AsTheUser()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, NotificationTestKit.Script(
            new { ask = new { question = "Which database?", options = new[] { "SQLite", "PostgreSQL" } } }, new { say = "ok" }));
        var delivery = (await _receiver.WaitForAsync(1)).Single();
        delivery.Item().GetProperty("kind").GetString().ShouldBe("question");
        delivery.Item().GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("label").GetString()).ShouldBe(["SQLite", "PostgreSQL"]);

        using (var answered = await NotificationTestKit.TapAsync(delivery.ActionUrl("answer", index: 1)))
            answered.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var events = await Client.GetEventsAsync(session.Id);
        var answer = events.Single(e => e.Type == EventTypes.QuestionAnswered);
        answer.Actor.ShouldBe("admin");
        answer.Data.GetProperty("answers").GetProperty("Which database?").GetString().ShouldBe("PostgreSQL");
        using var other = await NotificationTestKit.TapAsync(delivery.ActionUrl("answer", index: 0));
        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task LinkOfAUserWhoMayNoLongerDecide_IsRefused()
    {
        var users = Server.Service<Storage.IUserStore>();
        await users.AddAsync(new Storage.UserRecord("u_viewer", "vic", "viewer", null, DateTimeOffset.UtcNow));
        var (_, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");
        var links = Server.Service<ActionLinks>();

        using var refused = await NotificationTestKit.TapAsync(links.Url(links.NewClaim("approval", approvalId, "u_viewer", "approve")));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("vic may no longer decide");
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");
    }
}
