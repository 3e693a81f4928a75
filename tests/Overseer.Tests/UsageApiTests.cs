using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class UsageApiTests : ServerTest
{
    [Fact]
    public async Task Usage_GroupedByDayModelProjectAndSession_SumsEveryUsageUpdate()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { usage = new { inputTokens = 100, outputTokens = 10, costUsd = 0.5, model = "model-a" } },
            new { usage = new { inputTokens = 200, outputTokens = 20, costUsd = 0.25, model = "model-b" } },
            new { usage = new { inputTokens = 300, outputTokens = 30, costUsd = 1.0, model = "model-a" } },
        });
        var session = await Client.CreateSessionAsync(project.Id, script);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        async Task<JsonElement> Rows(string groupBy) =>
            JsonDocument.Parse(await Client.GetStringAsync($"/api/usage?groupBy={groupBy}")).RootElement.GetProperty("rows");

        var byModel = (await Rows("model")).EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("costUsd").GetDecimal());
        byModel["model-a"].ShouldBe(1.5m);
        byModel["model-b"].ShouldBe(0.25m);
        var day = (await Rows("day")).EnumerateArray().Single();
        day.GetProperty("key").GetString().ShouldBe(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        day.GetProperty("inputTokens").GetInt64().ShouldBe(600);
        (await Rows("project")).EnumerateArray().Single().GetProperty("key").GetString().ShouldBe(project.Id);
        (await Rows("session")).EnumerateArray().Single().GetProperty("outputTokens").GetInt64().ShouldBe(60);
    }

    [Theory]
    [InlineData("week")]
    [InlineData("1")]
    [InlineData("")]
    public async Task Usage_WithAnUnknownGrouping_Answers400NamingIt(string groupBy)
    {
        using var response = await Client.GetAsync($"/api/usage?groupBy={groupBy}");

        if (groupBy.Length == 0)
        {
            // No grouping given: by day.
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return;
        }
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("groupBy");
    }
}
