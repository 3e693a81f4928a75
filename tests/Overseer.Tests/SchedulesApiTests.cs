using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Tests.Permissions;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class SchedulesApiTests : ServerTest
{
    private async Task<(string Project, string Template)> TemplateAsync()
    {
        var project = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var body = """
            {"name": "Upgrade PACKAGE", "category": "ops", "prompt": "Upgrade {{package}} to {{version}}.",
             "parametersSchema": {"type": "object", "properties": {
                 "package": {"type": "string", "minLength": 1}, "version": {"type": "string", "default": "the latest"}}, "required": ["package"]},
             "defaults": {"runtime": "scripted"}}
            """.Replace("PACKAGE", Guid.NewGuid().ToString("N")[..6], StringComparison.Ordinal);
        using var response = await Client.PostJsonAsync("/api/templates", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (project, (await response.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!.Id);
    }

    private static string Body(string project, string template, string cron = "30 2 * * *", string zone = "Europe/Berlin", string extra = "", string? name = null) =>
        $$"""{"name": "{{name ?? "nightly " + Guid.NewGuid().ToString("N")}}", "projectId": "{{project}}", "templateId": "{{template}}", "parameters": {"package": "left-pad"}, "cron": "{{cron}}", "timeZone": "{{zone}}", "script": [{"say": "upgraded"}]{{extra}}}""";

    private async Task<ScheduleDto> CreateAsync(string body)
    {
        using var response = await Client.PostJsonAsync("/api/schedules", body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.ScheduleDto))!;
    }

    private async Task<(string Code, string? Field, string Detail)> RefusedAsync(string body, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        using var response = await Client.PostJsonAsync("/api/schedules", body);
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        var problem = await response.ProblemAsync();
        return (problem.GetProperty("code").GetString()!, problem.TryGetProperty("field", out var f) ? f.GetString() : null, problem.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task Create_ChecksEveryField_AndEachProblemNamesIt()
    {
        var (project, template) = await TemplateAsync();

        (await RefusedAsync(Body(project, template, cron: "30 2 * *"))).ShouldBe(("INVALID_FIELD", "cron", "cron must have 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first); \"30 2 * *\" has 4."));
        var minutes = await RefusedAsync(Body(project, template, cron: "61 2 * * *"));
        (minutes.Code, minutes.Field).ShouldBe(("INVALID_FIELD", "cron"));
        minutes.Detail.ShouldContain("Minutes");
        (await RefusedAsync(Body(project, template, cron: "0 0 30 2 *"))).Detail.ShouldContain("never fires");
        (await RefusedAsync(Body(project, template, zone: "Mars/Olympus_Mons"))).Field.ShouldBe("timeZone");
        (await RefusedAsync(Body(project, template, zone: "../../etc/passwd"))).Field.ShouldBe("timeZone");
        (await RefusedAsync(Body(project, template, extra: ", \"missedPolicy\": \"later\""))).Field.ShouldBe("missedPolicy");
        (await RefusedAsync(Body(project, template, extra: ", \"overlapPolicy\": \"both\""))).Field.ShouldBe("overlapPolicy");
        (await RefusedAsync(Body(project, template, extra: ", \"retry\": {\"maxAttempts\": 0}"))).Field.ShouldBe("retry.maxAttempts");
        (await RefusedAsync(Body(project, template, extra: ", \"retry\": {\"maxAttempts\": 3, \"initialDelaySeconds\": 600, \"maxDelaySeconds\": 60}"))).Field.ShouldBe("retry.maxDelaySeconds");
        var parameters = await RefusedAsync(Body(project, template).Replace("\"package\": \"left-pad\"", "\"package\": \"\"", StringComparison.Ordinal));
        (parameters.Code, parameters.Field).ShouldBe(("INVALID_PARAMETER", "parameters.package"));
        (await RefusedAsync(Body(project, template).Replace("\"package\": \"left-pad\"", "\"pkg\": \"x\"", StringComparison.Ordinal))).Field.ShouldBe("parameters.pkg");
        (await RefusedAsync(Body("p_missing", template))).ShouldBe(("PROJECT_NOT_FOUND", "projectId", "No project has id 'p_missing'."));
        (await RefusedAsync(Body(project, "tpl_missing"))).ShouldBe(("TEMPLATE_NOT_FOUND", "templateId", "No template has id 'tpl_missing'."));
        (await RefusedAsync(Body(project, template, extra: ", \"script\": [{\"bogus\": 1}]").Replace(", \"script\": [{\"say\": \"upgraded\"}]", "", StringComparison.Ordinal))).Field.ShouldBe("script");

        await CreateAsync(Body(project, template, name: "Nightly deps"));
        (await RefusedAsync(Body(project, template, name: "NIGHTLY DEPS"), HttpStatusCode.Conflict)).ShouldBe(("SCHEDULE_EXISTS", "name", "The project already has a schedule named 'NIGHTLY DEPS'."));
        (await Client.GetFromJsonAsync("/api/schedules", OverseerJson.Default.ListResponseScheduleDto))!.Items.Count.ShouldBe(1, "nothing half-written by the refused ones");
    }

    [Fact]
    public async Task Create_Defaults_AndTheNextRunIsInItsZone()
    {
        var (project, template) = await TemplateAsync();
        var schedule = await CreateAsync(Body(project, template));
        schedule.Enabled.ShouldBeTrue();
        schedule.MissedPolicy.ShouldBe("run_once");
        schedule.OverlapPolicy.ShouldBe("skip");
        schedule.CreatedBy.Name.ShouldBe("admin");
        var next = schedule.NextRunAt.ShouldNotBeNull();
        var berlin = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        (berlin.Hour, berlin.Minute).ShouldBe((2, 30));
        next.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task RunNow_StartsItsTemplateWithItsParameters_AndTheRunIsInItsHistory()
    {
        var (project, template) = await TemplateAsync();
        var schedule = await CreateAsync(Body(project, template));

        using var response = await Client.PostAsync($"/api/schedules/{schedule.Id}/run", null);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var run = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.ScheduleRunDto))!;
        run.Trigger.ShouldBe("manual");
        run.Status.ShouldBe("started");
        var session = await Client.WaitForStatusAsync(run.SessionId.ShouldNotBeNull(), SessionStatus.Idle);
        session.Prompt.ShouldBe("Upgrade left-pad to the latest.");
        session.TemplateId.ShouldBe(template);
        session.ScheduleId.ShouldBe(schedule.Id);
        session.ProjectId.ShouldBe(project);

        var runs = (await Client.GetFromJsonAsync($"/api/schedules/{schedule.Id}/runs", OverseerJson.Default.ListResponseScheduleRunDto))!;
        var listed = runs.Items.ShouldHaveSingleItem();
        listed.SessionId.ShouldBe(session.Id);
        listed.SessionStatus.ShouldBe(SessionStatus.Idle);
        listed.Attempts.ShouldBe(1);
        (await Client.GetFromJsonAsync($"/api/schedules/{schedule.Id}", OverseerJson.Default.ScheduleDto))!.LastRun!.Id.ShouldBe(run.Id);
    }

    [Fact]
    public async Task UpdateEnableDisableDelete_ChangeWhatItDoes()
    {
        var (project, template) = await TemplateAsync();
        var schedule = await CreateAsync(Body(project, template));

        using (var put = await Client.PutAsync($"/api/schedules/{schedule.Id}", new StringContent(Body(project, template, cron: "0 9 * * MON", zone: "UTC"), System.Text.Encoding.UTF8, "application/json")))
        {
            put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
            var updated = (await put.Content.ReadFromJsonAsync(OverseerJson.Default.ScheduleDto))!;
            updated.NextRunAt!.Value.DayOfWeek.ShouldBe(DayOfWeek.Monday);
            updated.NextRunAt.Value.Hour.ShouldBe(9);
        }
        using (var disable = await Client.PostAsync($"/api/schedules/{schedule.Id}/disable", null))
        {
            var disabled = (await disable.Content.ReadFromJsonAsync(OverseerJson.Default.ScheduleDto))!;
            disabled.Enabled.ShouldBeFalse();
            disabled.NextRunAt.ShouldBeNull();
        }
        using (var enable = await Client.PostAsync($"/api/schedules/{schedule.Id}/enable", null))
            (await enable.Content.ReadFromJsonAsync(OverseerJson.Default.ScheduleDto))!.NextRunAt.ShouldNotBeNull();

        (await Client.DeleteAsync($"/api/schedules/{schedule.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var gone = await Client.GetAsync($"/api/schedules/{schedule.Id}");
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await gone.ProblemAsync()).GetProperty("code").GetString().ShouldBe("SCHEDULE_NOT_FOUND");
    }

    [Fact]
    public async Task Preview_TheNextFiveTimes_InTheZonesOwnClock()
    {
        var preview = (await Client.GetFromJsonAsync("/api/schedules/preview?cron=30%202%20*%20*%20*&timeZone=Europe/Berlin", OverseerJson.Default.CronPreviewDto))!;
        preview.Next.Count.ShouldBe(5);
        preview.Local.ShouldAllBe(l => l.Contains(" 02:30:00 +0"));
        using var bad = await Client.GetAsync("/api/schedules/preview?cron=30%202%20*%20*%20*&timeZone=Nowhere");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.ProblemAsync()).GetProperty("field").GetString().ShouldBe("timeZone");
    }

    [Fact]
    public async Task List_ShowsOnlyTheCallersProjects()
    {
        var (project, template) = await TemplateAsync();
        await CreateAsync(Body(project, template));
        var other = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        var outsider = await RoleWorld.AddPersonAsync(Server, "olga", Roles.Operator, (other, Roles.Operator));
        using var client = Server.CreateClient(outsider.Token);
        (await client.GetFromJsonAsync("/api/schedules", OverseerJson.Default.ListResponseScheduleDto))!.Items.ShouldBeEmpty();
        // Nor may they make one in a project they cannot see.
        using var response = await client.PostJsonAsync("/api/schedules", Body(project, template));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("PROJECT_NOT_FOUND");
    }

    [Fact]
    public async Task Retry_ASessionThatFailsThreeTimes_IsThreeLinkedSessions()
    {
        var project = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        using var response = await Client.PostJsonAsync("/api/sessions",
            $$"""{"projectId": "{{project}}", "prompt": "Upgrade the deps.", "runtime": "scripted", "script": [{"fail": "the build broke"}], "retry": {"maxAttempts": 3, "initialDelaySeconds": 0} }""");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var first = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        first.Retry!.Attempt.ShouldBe(1);

        var chain = await Poll.UntilAsync(() => Client.GetSessionAsync(first.Id), s => s.Retry!.Attempts!.Count == 3 && s.Retry.Attempts.All(a => a.Status == SessionStatus.Failed),
            TimeSpan.FromSeconds(30), "three failed attempts");
        var attempts = chain.Retry!.Attempts!;
        attempts.Select(a => a.Attempt).ShouldBe([1, 2, 3]);
        attempts.ShouldAllBe(a => a.Reason == "the build broke");
        var last = await Client.GetSessionAsync(attempts[2].Id);
        last.Retry!.PreviousAttemptId.ShouldBe(attempts[1].Id);
        last.Retry.FirstAttemptId.ShouldBe(first.Id);
        last.Retry.NextAttemptId.ShouldBeNull();
        last.Prompt.ShouldBe("Upgrade the deps.");
        (await Client.GetSessionAsync(attempts[1].Id)).Retry!.NextAttemptId.ShouldBe(last.Id);
        var scheduled = (await Client.GetEventsAsync(first.Id)).Single(e => e.Type == EventTypes.SessionRetryScheduled);
        scheduled.Data.GetProperty("attempt").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Cancel_AFailedSessionWhoseRetryWaits_CallsTheRetryOff()
    {
        var project = (await Client.CreateProjectAsync(NewProjectDir())).Id;
        using var response = await Client.PostJsonAsync("/api/sessions",
            $$"""{"projectId": "{{project}}", "prompt": "x", "runtime": "scripted", "script": [{"fail": "no"}], "retry": {"maxAttempts": 2, "initialDelaySeconds": 3600} }""");
        var session = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        await Poll.UntilAsync(() => Client.GetSessionAsync(session.Id), s => s.Retry?.NextAttemptAt is not null, TimeSpan.FromSeconds(15), "the retry to be scheduled");

        using var cancel = await Client.PostAsync($"/api/sessions/{session.Id}/cancel", null);
        cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted, await cancel.Content.ReadAsStringAsync());
        var after = await Client.GetSessionAsync(session.Id);
        after.Status.ShouldBe(SessionStatus.Failed);
        after.Retry!.RetryStatus.ShouldBe("cancelled");
        after.Retry.NextAttemptAt.ShouldBeNull();
        using var again = await Client.PostAsync($"/api/sessions/{session.Id}/cancel", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
