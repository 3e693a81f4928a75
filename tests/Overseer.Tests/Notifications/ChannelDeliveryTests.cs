using System.Net;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.Tests.Notifications;

/// <summary>ntfy, email and Telegram, each against a local stand-in that speaks its protocol.</summary>
public sealed class ChannelDeliveryTests : ServerTest
{
    private const long ChatId = 4242;
    private FakeNtfy _ntfy = null!;
    private SmtpSink _smtp = null!;
    private FakeTelegramBotApi _telegram = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:NtfyServer"] = _ntfy.BaseUrl.ToString(),
        ["Notifications:Email:Host"] = "127.0.0.1",
        ["Notifications:Email:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Email:Security"] = "None",
        ["Notifications:Email:UserName"] = "mailer",
        ["Notifications:Email:Password"] = "mail-password",
        ["Notifications:Email:From"] = "Overseer <overseer@example.test>",
        ["Notifications:Telegram:BotToken"] = FakeTelegramBotApi.Token,
        ["Notifications:Telegram:ApiBaseUrl"] = _telegram.BaseUrl.ToString(),
        ["Notifications:Telegram:PollTimeout"] = "00:00:01",
    };

    public override async Task InitializeAsync()
    {
        _ntfy = await FakeNtfy.StartAsync();
        _smtp = SmtpSink.Start();
        _telegram = await FakeTelegramBotApi.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _ntfy.DisposeAsync();
        await _smtp.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task Ntfy_PublishesTitlePriorityTagsAndActions_AndItsHttpActionApproves()
    {
        await Client.CreateChannelAsync("ntfy", new { topic = "my-phone", token = "tk_ntfy" });
        var (sessionId, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var (message, authorization) = (await _ntfy.WaitForAsync(1)).Single();
        authorization.ShouldBe("Bearer tk_ntfy");
        message.GetProperty("topic").GetString().ShouldBe("my-phone");
        message.GetProperty("title").GetString().ShouldBe("ORANGE approval: Bash");
        message.GetProperty("message").GetString()!.ShouldContain("curl https://example.com");
        message.GetProperty("priority").GetInt32().ShouldBe(4);
        message.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["orange"]);
        message.GetProperty("click").GetString()!.ShouldEndWith($"/sessions/{sessionId}");
        var actions = message.GetProperty("actions").EnumerateArray().ToList();
        actions.Select(a => (a.GetProperty("action").GetString(), a.GetProperty("label").GetString())).ShouldBe([("http", "Approve"), ("http", "Deny")]);
        actions[0].GetProperty("method").GetString().ShouldBe("POST");

        // What the ntfy app does when the button is tapped: POST the URL.
        using (var tapped = await NotificationTestKit.TapAsync(actions[0].GetProperty("url").GetString()!))
            tapped.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await Client.ApprovalAsync(approvalId)).GetProperty("decidedBy").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task Email_HasTextAndHtmlParts_WithLinksToTheItemAndItsActions()
    {
        await Client.CreateChannelAsync("email", new { address = "dev@example.test" });
        var (sessionId, _) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var mail = (await _smtp.WaitForAsync(1)).Single();
        mail.User.ShouldBe("mailer");
        mail.To.ShouldBe(["dev@example.test"]);
        mail.Message.Subject.ShouldBe("ORANGE approval: Bash");
        mail.Message.From.Mailboxes.Single().Address.ShouldBe("overseer@example.test");
        var text = mail.Message.TextBody!;
        text.ShouldContain("curl https://example.com");
        text.ShouldContain($"/sessions/{sessionId}");
        text.ShouldContain("Approve: http");
        mail.Message.HtmlBody!.ShouldContain($"/sessions/{sessionId}\">Open in Overseer</a>");
        mail.Message.HtmlBody!.ShouldContain(">Deny</a>");
        mail.Message.MessageId.ShouldEndWith("@overseer");
    }

    [Fact]
    public async Task Telegram_SendsButtons_AndAPressApprovesAsTheChatsUser()
    {
        await Client.CreateChannelAsync("telegram", new { chatId = ChatId });
        var (sessionId, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var sent = (await _telegram.WaitForSentAsync(1)).Single();
        sent["chat_id"]!.GetValue<long>().ShouldBe(ChatId);
        sent["text"]!.GetValue<string>().ShouldContain("curl https://example.com");
        var buttons = sent["reply_markup"]!["inline_keyboard"]![0]!.AsArray();
        buttons.Select(b => b!["callback_data"]!.GetValue<string>()).ShouldBe([$"a:{approvalId}", $"d:{approvalId}"]);

        // A stranger's press is refused; the chat's owner's is decided.
        _telegram.Press(9999, $"a:{approvalId}");
        (await _telegram.WaitForAnswersAsync(1))[0]["text"]!.GetValue<string>().ShouldContain("not linked");
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");

        _telegram.Press(ChatId, $"a:{approvalId}");
        (await _telegram.WaitForAnswersAsync(2))[1]["text"]!.GetValue<string>().ShouldBe("Approved.");
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var approval = await Client.ApprovalAsync(approvalId);
        approval.GetProperty("decidedBy").GetString().ShouldBe("admin");

        _telegram.Press(ChatId, $"d:{approvalId}");
        (await _telegram.WaitForAnswersAsync(3))[2]["text"]!.GetValue<string>().ShouldContain("already approved");
    }

    [Fact]
    public async Task Telegram_RedApprovalButton_OpensThePhrasePage()
    {
        await Client.CreateChannelAsync("telegram", new { chatId = ChatId });
        var (_, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "git push --force origin main");

        var sent = (await _telegram.WaitForSentAsync(1)).Single();
        var approve = sent["reply_markup"]!["inline_keyboard"]![0]![0]!;
        approve["callback_data"].ShouldBeNull();
        using var anonymous = new HttpClient();
        (await anonymous.GetStringAsync(approve["url"]!.GetValue<string>())).ShouldContain("name=\"confirm\"");
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");
    }
}
