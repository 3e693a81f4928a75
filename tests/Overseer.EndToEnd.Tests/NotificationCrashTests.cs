using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.EndToEnd.Tests;

/// <summary>kill -9 of the server between the event that needs a person and the record of its delivery.</summary>
public sealed class NotificationCrashTests
{
    private const string Question = "Which pricing model should the app use?";

    [Fact]
    public async Task ServerKilledWhileDelivering_AfterRestartTheSameIdempotencyKeyIsSentAgain_ProcessedOnce_AndItsLinkStillAnswers()
    {
        using var root = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var environment = new Dictionary<string, string> { ["OVERSEER__Sandbox__Mode"] = "Off" };
        var data = Path.Combine(root.Path, "data");
        var projects = root.Create("projects");
        var projectDir = root.Create("projects/app");

        string sessionId;
        await using (var first = await ServerProcess.StartAsync(data, projects, environment))
        {
            using var client = first.CreateClient();
            using (var channel = await client.PostJsonAsync("/api/notifications/channels", JsonSerializer.Serialize(new { type = "webhook", target = new { url = receiver.Url.ToString() } })))
            {
                channel.IsSuccessStatusCode.ShouldBeTrue(await channel.Content.ReadAsStringAsync());
                receiver.Secret = JsonDocument.Parse(await channel.Content.ReadAsStringAsync()).RootElement.GetProperty("secret").GetString()!;
            }
            var project = await client.CreateProjectAsync(projectDir);
            var session = await client.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[]
            {
                new { ask = new { question = Question, options = new[] { "Subscription", "Freemium" } } },
                new { say = "done" },
            }));
            sessionId = session.Id;
            // The request is on the wire and the receiver holds it: sent, never recorded as sent.
            await Poll.UntilAsync(() => Task.FromResult(receiver.Arrived), n => n == 1, TimeSpan.FromSeconds(30), "the notification to reach the receiver");
            await first.KillAsync();
        }
        // The receiver now takes the request the dead server made.
        receiver.Stall.SetResult();
        receiver.Stall = null;
        var before = await receiver.WaitForAsync(1);

        await using var second = await ServerProcess.StartAsync(data, projects, environment);
        using var again = second.CreateClient();
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received.Count), n => n == 2, TimeSpan.FromSeconds(30), "the delivery to be repeated");
        receiver.Received.Select(r => r.Key).Distinct().ShouldBe([before[0].Key]);
        receiver.Processed.Count.ShouldBe(1);
        var notification = await Poll.UntilAsync(async () => JsonDocument.Parse(await again.GetStringAsync("/api/notifications")).RootElement.GetProperty("items"),
            items => items[0].GetProperty("status").GetString() == "sent", TimeSpan.FromSeconds(10), "the notification to be recorded as sent");
        notification.GetArrayLength().ShouldBe(1);

        // The link in the repeated message was signed with the key kept in the data directory.
        var link = receiver.Received[1].ActionUrl("answer", index: 1);
        using (var anonymous = new HttpClient())
        using (var answered = await anonymous.PostAsync(link, null))
            answered.IsSuccessStatusCode.ShouldBeTrue(await answered.Content.ReadAsStringAsync());
        await again.WaitForStatusAsync(sessionId, SessionStatus.Idle, TimeSpan.FromSeconds(30));
        (await again.GetEventsAsync(sessionId)).Single(e => e.Type == EventTypes.QuestionAnswered).Actor.ShouldBe("admin");
    }
}
