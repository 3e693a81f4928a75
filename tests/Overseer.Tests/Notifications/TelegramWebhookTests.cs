using System.Net;
using System.Text;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.Tests.Notifications;

/// <summary>With a public URL the bot takes button presses through a webhook instead of long polling.</summary>
public sealed class TelegramWebhookTests : ServerTest
{
    private const long ChatId = 777;
    private FakeTelegramBotApi _telegram = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:PublicUrl"] = "https://overseer.example",
        ["Notifications:Telegram:BotToken"] = FakeTelegramBotApi.Token,
        ["Notifications:Telegram:ApiBaseUrl"] = _telegram.BaseUrl.ToString(),
    };

    public override async Task InitializeAsync()
    {
        _telegram = await FakeTelegramBotApi.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _telegram.DisposeAsync();
    }

    [Fact]
    public async Task Press_ArrivesAtTheWebhookWithItsSecret_AndApproves_WhileAWrongSecretIsRefused()
    {
        var webhook = await Poll.UntilAsync(() => Task.FromResult(_telegram.Webhook), w => w is not null, what: "setWebhook");
        webhook!.Value.Url.ShouldBe("https://overseer.example/telegram/webhook");
        webhook.Value.SecretToken.ShouldNotBeNullOrEmpty();
        await Client.CreateChannelAsync("telegram", new { chatId = ChatId });
        var (sessionId, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");
        await _telegram.WaitForSentAsync(1);

        using var anonymous = new HttpClient { BaseAddress = Server.Address };
        var update = FakeTelegramBotApi.PressUpdate(1, ChatId, $"a:{approvalId}").ToJsonString();
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(update, Encoding.UTF8, "application/json") })
        {
            forged.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "guessed");
            (await anonymous.SendAsync(forged)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        (await Client.ApprovalAsync(approvalId)).GetProperty("status").GetString().ShouldBe("pending");

        using (var real = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent(update, Encoding.UTF8, "application/json") })
        {
            real.Headers.Add("X-Telegram-Bot-Api-Secret-Token", webhook.Value.SecretToken);
            (await anonymous.SendAsync(real)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await _telegram.WaitForAnswersAsync(1))[0]["text"]!.GetValue<string>().ShouldBe("Approved.");
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await Client.ApprovalAsync(approvalId)).GetProperty("decidedBy").GetString().ShouldBe("admin");
    }
}
