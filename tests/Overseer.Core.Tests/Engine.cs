using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Agents.Scripted;
using Overseer.Core.Budgets;
using Overseer.Core.Safety;
using Overseer.Core.Scheduling;
using Overseer.Core.Sessions;
using Overseer.Core.Workspaces;
using Overseer.Storage;
using Overseer.Storage.Sqlite;

namespace Overseer.Core.Tests;

/// <summary>
/// The real engine over a real SQLite store in a temp directory: session manager, scheduler,
/// scripted runtime and one project. Disposing shuts every manager down and deletes the files.
/// </summary>
internal sealed class Engine : IAsyncDisposable
{
    public const string By = "tester";

    private readonly TempDirectory _temp = new();
    private readonly List<SessionManager> _managers = [];

    private Engine(int maxConcurrent, TimeProvider? clock, ICommitObserver[] observers)
    {
        Database = new SqliteDatabase(Path.Combine(_temp.Path, "overseer.db"));
        Store = new SqliteEventStore(Database, observers, NullLogger<SqliteEventStore>.Instance, new StorageOptions(), clock);
        ReadModel = new SqliteReadModel(Database);
        Budgets = new SqliteBudgetStore(Database);
        Guard = new BudgetGuard(Budgets, clock ?? TimeProvider.System);
        (Manager, Scheduler) = AddManager(maxConcurrent);
    }

    /// <summary>Budgets, as every manager here checks them.</summary>
    public SqliteBudgetStore Budgets { get; }

    public BudgetGuard Guard { get; }

    public SqliteDatabase Database { get; }

    public SqliteEventStore Store { get; }

    public SqliteReadModel ReadModel { get; }

    public SessionManager Manager { get; }

    public SessionScheduler Scheduler { get; }

    public ProjectDto Project { get; private set; } = null!;

    public ProjectRegistry Projects { get; private set; } = null!;

    public async Task<string> CreateSessionAsync(SessionManager manager, string runtime)
    {
        var result = await manager.CreateAsync(new CreateSessionRequest(Project.Id, "Work.", runtime, null, null, null), By, CancellationToken.None);
        result.Error.ShouldBeNull();
        return result.SessionId.ShouldNotBeNull();
    }

    /// <param name="clock">Stamps events and dates budgets' periods (the system clock by default).</param>
    /// <param name="observers">Told of every committed batch, as the server's hub and signals are.</param>
    public static async Task<Engine> StartAsync(int maxConcurrent = 4, TimeProvider? clock = null, params ICommitObserver[] observers)
    {
        var engine = new Engine(maxConcurrent, clock, observers);
        await engine.Store.InitializeAsync();
        engine.Projects = new ProjectRegistry(engine.Store, engine.ReadModel,
            Options.Create(new ProjectOptions { AllowedRoots = [engine._temp.Path] }));
        var created = await engine.Projects.CreateAsync(engine._temp.Create("project"), "demo", By, CancellationToken.None);
        created.Error.ShouldBeNull();
        engine.Project = created.Project!;
        return engine;
    }

    /// <summary>Another manager (with its own scheduler) over the same store, as after a restart.</summary>
    public (SessionManager Manager, SessionScheduler Scheduler) AddManager(int maxConcurrent, IToolGate? gate = null, TimeProvider? time = null,
        Action<SessionOptions>? configure = null, params IAgentRuntime[] runtimes)
    {
        var scheduler = new SessionScheduler(Options.Create(new SchedulingOptions { MaxConcurrent = maxConcurrent }));
        var options = new SessionOptions { ShutdownTimeout = TimeSpan.FromSeconds(2) };
        configure?.Invoke(options);
        var manager = new SessionManager(Store, ReadModel, scheduler, [new ScriptedRuntime(), .. runtimes], gate ?? new DefaultToolGate(),
            Options.Create(options), NullLogger<SessionManager>.Instance, time: time, budgets: Guard);
        _managers.Add(manager);
        return (manager, scheduler);
    }

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public async Task<string> CreateSessionAsync(string script, int? priority = null, string prompt = "Look around the project.", SessionManager? manager = null)
    {
        var result = await (manager ?? Manager).CreateAsync(
            new CreateSessionRequest(Project.Id, prompt, ScriptedRuntime.RuntimeName, null, priority, Json(script)), By, CancellationToken.None);
        result.Error.ShouldBeNull();
        return result.SessionId.ShouldNotBeNull();
    }

    public async Task<SessionDto> GetAsync(string id) => (await ReadModel.GetSessionAsync(id)).ShouldNotBeNull();

    public async Task<SessionDto> WaitForStatusAsync(string id, SessionStatus status) =>
        (await Poll.UntilAsync(() => ReadModel.GetSessionAsync(id), s => s?.Status == status, $"session {id} to be {status.ToWire()}"))!;

    public Task<IReadOnlyList<EventEnvelope>> EventsAsync(string id) => Store.ReadSessionAsync(id, 0, 10_000);

    public Task<IReadOnlyList<EventEnvelope>> WaitForEventsAsync(string id, Func<IReadOnlyList<EventEnvelope>, bool> done, string what) =>
        Poll.UntilAsync(() => EventsAsync(id), done, what);

    /// <summary>The statuses the session went through, from its stored state changes.</summary>
    public async Task<SessionStatus[]> StatusesAsync(string id) =>
        [.. (await EventsAsync(id)).Where(IsStateChange).Select(e => StateChange(e).To)];

    public Task<SessionStatus[]> WaitForStatusesAsync(string id, int count) =>
        Poll.UntilAsync(() => StatusesAsync(id), s => s.Length >= count, $"{count} state changes of session {id}");

    public static bool IsStateChange(EventEnvelope e) => EventTypes.IsStateChange(e.Type);

    public static StateChangeData StateChange(EventEnvelope e) => e.Data.Deserialize(OverseerJson.Default.StateChangeData)!;

    public static string[] Texts(IEnumerable<EventEnvelope> events) =>
        [.. events.Where(e => e.Type == EventTypes.AgentText).Select(e => e.Data.Deserialize(OverseerJson.Default.AgentTextData)!.Text)];

    public static Dictionary<string, JsonElement> Answers(params (string Question, string Json)[] answers) =>
        answers.ToDictionary(a => a.Question, a => Json(a.Json), StringComparer.Ordinal);

    public async Task<QuestionDto> WaitForPendingQuestionAsync(string id)
    {
        var page = await Poll.UntilAsync(() => ReadModel.ListQuestionsAsync(new ItemQuery("pending", id)), p => p.Items.Count > 0, $"a pending question of {id}");
        return page.Items.ShouldHaveSingleItem();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in _managers)
            await manager.ShutdownAsync(CancellationToken.None);
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }
}
