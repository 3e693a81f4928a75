using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class SchedulingTests : ServerTest
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Sessions:MaxConcurrent"] = "1" };

    [Fact]
    public async Task Queue_MaxConcurrentOne_RunsOneAtATimeHighestPriorityFirst()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var blocker = await Client.CreateSessionAsync(project.Id, "[{\"sleep\": 60000}]");
        await Client.WaitForStatusAsync(blocker.Id, SessionStatus.Running);
        var low = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"low\"}]", priority: -5);
        var high = await Client.CreateSessionAsync(project.Id, "[{\"sleep\": 60000}]", priority: 10);
        (await Client.GetSessionAsync(low.Id)).Status.ShouldBe(SessionStatus.Queued);
        (await Client.GetSessionAsync(high.Id)).Status.ShouldBe(SessionStatus.Queued);

        // Freeing the one slot starts the higher-priority session, not the older one.
        await Client.PostJsonAsync($"/api/sessions/{blocker.Id}/cancel", "{}");
        await Client.WaitForStatusAsync(high.Id, SessionStatus.Running);
        (await Client.GetSessionAsync(low.Id)).Status.ShouldBe(SessionStatus.Queued);

        // A queued session can be cancelled before it ever starts.
        var doomed = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"never\"}]");
        await Client.PostJsonAsync($"/api/sessions/{doomed.Id}/cancel", "{}");
        (await Client.GetSessionAsync(doomed.Id)).Status.ShouldBe(SessionStatus.Cancelled);

        await Client.PostJsonAsync($"/api/sessions/{high.Id}/interrupt", "{}");
        await Client.WaitForStatusAsync(low.Id, SessionStatus.Idle);
        var types = (await Client.GetEventsAsync(doomed.Id)).Select(e => e.Type).ToList();
        types.ShouldBe(["session.created", "session.queued", "session.cancelled"]);
        var list = JsonDocument.Parse(await Client.GetStringAsync("/api/sessions?status=running,starting,waiting")).RootElement;
        list.GetProperty("items").GetArrayLength().ShouldBe(0);
    }
}
