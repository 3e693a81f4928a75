using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Core;
using Overseer.Dashboard;
using Overseer.Mcp;
using Overseer.RateLimiting;
using Overseer.Notifications;
using Overseer.Storage;
using Overseer.Streaming;
using Overseer.Triggers;
using Overseer.Prompts;
using Overseer.Telemetry;
using Overseer.WebSockets;

namespace Overseer.Hosting;

/// <summary>Builds the one web application: the store, the engine, the streams and the API.</summary>
public static class OverseerServer
{
    /// <param name="configure">A last word on the builder before it is built (tests add a log sink here).</param>
    public static WebApplication Build(ServeOptions serve, Action<WebApplicationBuilder>? configure = null)
    {
        // SQLite reads are synchronous under their async API; a few more ready threads keep a
        // burst of them from starving the pool (which only grows slowly) on small machines.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        var data = new DataDirectory(serve.DataDir);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Quiet defaults, below every other source so any setting overrides them: one line per
        // request would bury what matters.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });
        builder.Configuration.AddJsonFile(Path.Combine(data.Path, "overseer.json"), optional: true);
        builder.Configuration.AddEnvironmentVariables("OVERSEER__");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{StorageOptions.Section}:{nameof(StorageOptions.DatabasePath)}"] = Path.Combine(data.Path, "overseer.db"),
            // Agents started from this data directory carry this mark, so a later start can find strays.
            ["Safety:DataDirectory"] = data.Path,
            ["Projects:DataDirectory"] = data.Path,
            ["Vault:KeyDirectory"] = data.Path,
            // Each session's private home; the agent sees only its own, never the rest of this directory.
            ["Sandbox:HomesDirectory"] = Path.Combine(data.Path, "homes"),
            // Command checks run here, inside the sandbox.
            ["Monitoring:WorkDirectory"] = Path.Combine(data.Path, "monitoring"),
            ["Sessions:AgentOwner"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(data.Path)))[..16],
        });
        if (serve.Settings is not null)
            builder.Configuration.AddInMemoryCollection(serve.Settings);
        builder.WebHost.UseUrls(serve.Urls);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // Metrics, traces and JSON logs when configured (replaces the console format above).
        builder.AddTelemetry();

        var services = builder.Services;
        services.AddSingleton(data);
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.MaxBodyBytes is >= 1024 and <= 1024L * 1024 * 1024, "Api:MaxBodyBytes must be between 1 KiB and 1 GiB.")
            .ValidateOnStart();
        var maxBody = builder.Configuration.GetValue<long?>($"{ApiOptions.Section}:{nameof(ApiOptions.MaxBodyBytes)}") ?? new ApiOptions().MaxBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);
        // A flush of a stream (SSE, WebSocket) writes to the socket on the flushing thread
        // instead of queueing the send to another pool thread: with 20 subscribers that is 20
        // hops less per committed batch. Socket completions still arrive on pool threads (the
        // runtime's inline completions stay off), so no handler ever runs on the epoll thread.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .Validate(o => o.Synchronous is "NORMAL" or "FULL", "Storage:Synchronous must be NORMAL or FULL.")
            .Validate(o => o.MaxBatchSize is >= 1 and <= 100_000, "Storage:MaxBatchSize must be between 1 and 100000.")
            .ValidateOnStart();
        // The store is registered first so it opens before, and closes after, everything that uses it.
        services.AddSqliteStorage();
        services.AddStreaming();
        services.AddSessions();
        // After the sessions: their recovery at start-up comes before any schedule or retry starts one.
        Core.Schedules.SchedulesServiceCollectionExtensions.AddSchedules(services);
        Core.Monitoring.MonitoringServiceCollectionExtensions.AddMonitoring(services);
        services.AddApiAuth();
        services.AddApiRateLimits();
        services.AddSingleton<IdempotentRequests>();
        services.AddDashboard();
        SignIn.SignInServiceCollectionExtensions.AddSignIn(services, builder.Configuration);
        services.AddOverseerWebSockets();
        services.AddOverseerMcp();
        // The MCP library logs messages' contents below Warning: a provided value or an approval's input must never reach the log.
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        services.AddNotifications();
        services.AddTriggers();
        services.AddPrompts();
        services.AddPrivateKeyRing(data);
        services.AddProblemDetails();
        services.AddHostedService<IdleMemoryTrim>();
        // A request the server refuses while reading it (too large, malformed) is the client's fault: its 4xx, not a 500.
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, OverseerJson.Default));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(Contracts.Monitoring.MonitoringJson.Default));

        configure?.Invoke(builder);
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DataDirectory));
        foreach (var fix in data.Fixes)
            HostingLog.MadePrivate(log, fix.Path, fix.Was, fix.Now);
        PrivateKeyRing.LogWhereKeysAre(log, data);
        // Read the policy file now: a mistake in it stops start-up with one clear line.
        app.Services.GetRequiredService<Core.Safety.Policy.PolicyEngine>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: every endpoint's declared role, in its project, before its handler.
        app.UseMiddleware<PermissionMiddleware>();
        app.UseRateLimiter();
        app.MapOverseerApi();
        app.MapDashboard();
        app.MapActionPages();
        app.MapNotificationsDashboard();
        Notifications.Channels.TelegramWebhook.MapTelegramWebhook(app);
        app.MapTriggers();
        app.MapOverseerWebSocket();
        app.MapOverseerMcp();
        app.MapTelemetry();
        return app;
    }
}
