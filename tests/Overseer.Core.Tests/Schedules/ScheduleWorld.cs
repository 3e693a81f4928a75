using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Retries;
using Overseer.Core.Schedules;
using Overseer.Core.Templates;
using Overseer.Storage;
using Overseer.Storage.Sqlite;

namespace Overseer.Core.Tests.Schedules;

/// <summary>
/// The real engine and stores with a fake clock: a template, schedules over it, and the schedule
/// and retry runners, any number of which can be started and stopped over the same store (as a
/// server that restarts, or two that share a database).
/// </summary>
internal sealed class ScheduleWorld : IAsyncDisposable
{
    /// <summary>A turn that waits for a person (the session keeps working) until its question is answered.</summary>
    public const string AskFirst = """[{"ask": {"question": "Go on?", "options": ["yes", "no"]}}, {"say": "done"}]""";

    private readonly List<ScheduleRunner> _runners = [];
    private readonly List<RetryRunner> _retryRunners = [];

    private ScheduleWorld(Engine engine, FakeTimeProvider time, RunSignals signals)
    {
        Engine = engine;
        Time = time;
        Signals = signals;
        Store = new SqliteScheduleStore(engine.Database);
        Retries = new SqliteRetryStore(engine.Database);
        Users = new SqliteUserStore(engine.Database);
        Templates = new TemplateCatalog(new SqliteTemplateStore(engine.Database), engine.Manager, time);
        Catalog = new ScheduleCatalog(Store, Templates, engine.Manager, engine.ReadModel, signals, time);
    }

    public Engine Engine { get; }
    public FakeTimeProvider Time { get; }
    public RunSignals Signals { get; }
    public SqliteScheduleStore Store { get; }
    public SqliteRetryStore Retries { get; }
    public SqliteUserStore Users { get; }
    public TemplateCatalog Templates { get; }
    public ScheduleCatalog Catalog { get; }

    public static async Task<ScheduleWorld> StartAsync(DateTimeOffset now)
    {
        var signals = new RunSignals();
        var engine = await Engine.StartAsync(8, null, signals);
        return new ScheduleWorld(engine, new FakeTimeProvider(now), signals);
    }

    /// <summary>A template "Nightly {{job}}" that runs on the scripted runtime.</summary>
    public async Task<string> TemplateAsync()
    {
        var outcome = await Templates.CreateAsync(new SaveTemplateRequest("Nightly " + Guid.NewGuid().ToString("N")[..6], null, "ops", "Nightly {{job}}.", null,
            new TemplateDefaultsDto(Runtime: "scripted")), Engine.By, CancellationToken.None);
        return outcome.Template.ShouldNotBeNull(outcome.Message).Id;
    }

    public async Task<ScheduleDto> ScheduleAsync(string cron, string zone = "UTC", string missed = "run_once", string overlap = "skip",
        string script = """[{"say": "done"}]""", RetryPolicyDto? retry = null)
    {
        var request = new SaveScheduleRequest("job " + Guid.NewGuid().ToString("N")[..6], Engine.Project.Id, await TemplateAsync(),
            new Dictionary<string, JsonElement> { ["job"] = Engine.Json("\"upgrade\"") }, cron, zone, true, missed, overlap, retry, Script: Engine.Json(script));
        var outcome = await Catalog.CreateAsync(request, Engine.By, CancellationToken.None);
        return outcome.Schedule.ShouldNotBeNull(outcome.Message);
    }

    public async Task<ScheduleRunner> StartRunnerAsync()
    {
        var runner = new ScheduleRunner(Store, Templates, Users, Signals, Options.Create(new ScheduleOptions()), Time, NullLogger<ScheduleRunner>.Instance);
        _runners.Add(runner);
        await runner.StartAsync(CancellationToken.None);
        return runner;
    }

    public async Task<RetryRunner> StartRetryRunnerAsync()
    {
        var runner = new RetryRunner(Retries, Engine.Store, Engine.Manager, Signals, Time, NullLogger<RetryRunner>.Instance);
        _retryRunners.Add(runner);
        await runner.StartAsync(CancellationToken.None);
        return runner;
    }

    public Task<IReadOnlyList<ScheduleRunRow>> RunsAsync(string scheduleId) =>
        Store.ListRunsAsync(scheduleId, null, 200, CancellationToken.None).ContinueWith(t => t.Result.Items, TaskScheduler.Default);

    /// <summary>Waits until the schedule has <paramref name="count"/> runs, none of them still being created; oldest first.</summary>
    public async Task<IReadOnlyList<ScheduleRunRow>> WaitForRunsAsync(string scheduleId, int count)
    {
        var runs = await Poll.UntilAsync(() => RunsAsync(scheduleId), r => r.Count >= count && r.All(x => x.Run.Status != "pending"), $"{count} runs of {scheduleId}");
        return [.. runs.Reverse()];
    }

    /// <summary>As <see cref="WaitForRunsAsync"/>, and each run's session done with its turn, so the next slot does not overlap it.</summary>
    public async Task<IReadOnlyList<ScheduleRunRow>> WaitForFinishedRunsAsync(string scheduleId, int count)
    {
        var runs = await WaitForRunsAsync(scheduleId, count);
        foreach (var run in runs.Where(r => r.Run.SessionId is not null))
            await Engine.WaitForStatusAsync(run.Run.SessionId!, SessionStatus.Idle);
        return runs;
    }

    public async Task<ScheduleDto> GetAsync(string scheduleId) => (await Catalog.FindAsync(scheduleId, CancellationToken.None)).ShouldNotBeNull();

    public async Task<IReadOnlyList<SessionDto>> SessionsOfAsync(string scheduleId) =>
        [.. (await Engine.ReadModel.ListSessionsAsync(new SessionQuery(Limit: 200))).Items.Where(s => s.ScheduleId == scheduleId)];

    /// <summary>Answers the question the session waits on, so its turn ends.</summary>
    public async Task AnswerAsync(string sessionId)
    {
        var question = await Engine.WaitForPendingQuestionAsync(sessionId);
        (await Engine.Manager.AnswerQuestionAsync(question.Id, Engine.Answers(("Go on?", "\"yes\"")), Engine.By, CancellationToken.None)).Succeeded.ShouldBeTrue();
    }

    public async Task StopAsync(ScheduleRunner runner)
    {
        await runner.StopAsync(CancellationToken.None);
        _runners.Remove(runner);
    }

    public async Task StopAsync(RetryRunner runner)
    {
        await runner.StopAsync(CancellationToken.None);
        _retryRunners.Remove(runner);
    }

    public static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var runner in _runners)
            await runner.StopAsync(CancellationToken.None);
        foreach (var runner in _retryRunners)
            await runner.StopAsync(CancellationToken.None);
        await Engine.DisposeAsync();
    }
}
