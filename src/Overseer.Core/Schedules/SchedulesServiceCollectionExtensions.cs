using Microsoft.Extensions.DependencyInjection;
using Overseer.Core.Retries;
using Overseer.Storage;

namespace Overseer.Core.Schedules;

public static class SchedulesServiceCollectionExtensions
{
    /// <summary>Schedules (catalog and runner) and retries of failed sessions; their loops wake on committed session changes.</summary>
    public static IServiceCollection AddSchedules(this IServiceCollection services)
    {
        services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.Section)
            .Validate(o => o.MissedAfter >= TimeSpan.FromSeconds(1) && o.MissedAfter <= TimeSpan.FromDays(1),
                "Schedules:MissedAfter must be a time span from 00:00:01 to 1.00:00:00.")
            .ValidateOnStart();
        services.AddSingleton<RunSignals>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<RunSignals>());
        services.AddSingleton<ScheduleCatalog>();
        services.AddSingleton<ScheduleRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleRunner>());
        services.AddSingleton<RetryRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<RetryRunner>());
        return services;
    }
}
