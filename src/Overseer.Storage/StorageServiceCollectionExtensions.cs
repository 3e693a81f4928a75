using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Storage.Sqlite;

namespace Overseer.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The embedded SQLite store (the default). The database opens when the host starts.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var path = options.DatabasePath ?? throw new InvalidOperationException("Storage:DatabasePath is not set.");
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            return new SqliteDatabase(path, options.Synchronous);
        });
        services.AddSingleton(sp => new SqliteEventStore(
            sp.GetRequiredService<SqliteDatabase>(),
            sp.GetServices<ICommitObserver>(),
            sp.GetRequiredService<ILogger<SqliteEventStore>>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<IReadModel, SqliteReadModel>();
        services.AddSingleton<IStoreGauges>(sp => new SqliteStoreGauges(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<IEventStore>()));
        services.AddSingleton<IBlobReader, SqliteBlobReader>();
        services.AddSingleton<ISessionSearch, SqliteSessionSearch>();
        services.AddSingleton<IApiTokenStore, SqliteApiTokenStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ITemplateStore, SqliteTemplateStore>();
        services.AddSingleton<IScheduleStore, SqliteScheduleStore>();
        services.AddSingleton<IRetryStore, SqliteRetryStore>();
        services.AddSingleton<IBudgetStore, SqliteBudgetStore>();
        services.AddSingleton<IMonitoringStore, SqliteMonitoringStore>();
        services.AddSingleton<IAuditLog, SqliteAuditLog>();
        services.AddSingleton<IPasskeyStore, SqlitePasskeyStore>();
        services.AddSingleton<IExternalLoginStore, SqliteExternalLoginStore>();
        services.AddSingleton<ISecretStore, SqliteSecretStore>();
        services.AddSingleton<IIdempotencyStore, SqliteIdempotencyStore>();
        services.AddSingleton<Notifications.INotificationStore, SqliteNotificationStore>();
        services.AddSingleton<Triggers.ITriggerStore, SqliteTriggerStore>();
        // Registered before every other hosted service: it starts first and stops last, so the
        // store is open before sessions recover and is flushed after they have stopped.
        services.AddHostedService<StoreLifetime>();
        return services;
    }

    private sealed class StoreLifetime(SqliteEventStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

        public async Task StopAsync(CancellationToken cancellationToken) => await store.DisposeAsync();
    }
}
