using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Overseer.Core.Monitoring.Probes;

namespace Overseer.Core.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>Checks, their one loop, rules and alerts, runbooks. A test may register its own <see cref="IHostMetricSource"/> first.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services)
    {
        services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.TryAddSingleton<IHostMetricSource, ProcHostMetrics>();
        services.AddSingleton<ICheckProbe, HostProbe>();
        services.AddSingleton<ICheckProbe, HttpProbe>();
        services.AddSingleton<ICheckProbe, TcpProbe>();
        services.AddSingleton<ICheckProbe, ProcessProbe>();
        services.AddSingleton<ICheckProbe, SystemdProbe>();
        services.AddSingleton<ICheckProbe, CommandProbe>();
        services.AddSingleton<MonitoringCatalog>();
        services.AddSingleton<CheckStates>();
        services.AddSingleton<RunbookStarter>();
        services.AddSingleton<AlertEngine>();
        services.AddSingleton<CheckMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckMonitor>());
        return services;
    }
}
