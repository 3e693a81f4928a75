using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class PhaseReviewTests
{
    [Fact]
    public async Task PhaseComplete_FromTheRealCli_ReviewHasTheDiff_FeedbackAndApprovalReachTheAgent()
    {
        await using var o = await OverseerHarness.StartAsync();
        await GitRepo.InitAsync(o.ProjectDir);
        o.Api.Enqueue(MockReply.Bash("echo hello > greeting.txt"));
        o.Api.Enqueue(MockReply.Text("Wrote the greeting.\n=== PHASE 1 COMPLETE ==="));
        o.Api.Enqueue(MockReply.Text("Renamed as asked.\n=== PHASE 1 COMPLETE ==="));
        var id = await o.StartSessionAsync("phase one: greet");

        async Task<JsonElement> PendingReviewAsync() =>
            (await Poll.UntilAsync(
                async () => JsonDocument.Parse(await o.Client.GetStringAsync($"/api/reviews?status=pending&sessionId={id}")).RootElement.GetProperty("items"),
                items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending phase review"))[0];

        var first = await PendingReviewAsync();
        await o.WaitForStatusAsync(id, SessionStatus.Waiting);
        var review = JsonDocument.Parse(await o.Client.GetStringAsync($"/api/reviews/{first.GetProperty("id").GetString()}")).RootElement;
        review.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ShouldBe(["greeting.txt"]);
        review.GetProperty("diff").GetString()!.ShouldContain("+hello");

        (await o.Client.PostJsonAsync($"/api/reviews/{first.GetProperty("id").GetString()}/request-changes", "{\"feedback\": \"call it hello.txt\"}")).EnsureSuccessStatusCode();
        var second = await PendingReviewAsync();
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("call it hello.txt");

        (await o.Client.PostJsonAsync($"/api/reviews/{second.GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("Continue with the next phase");
    }
}
