using Microsoft.Extensions.DependencyInjection;

namespace Overseer.Core.Budgets;

public static class BudgetsServiceCollectionExtensions
{
    /// <summary>Budgets (checked by every session at its turn boundaries), setting them, and cost prediction.</summary>
    public static IServiceCollection AddBudgets(this IServiceCollection services)
    {
        services.AddSingleton<BudgetGuard>();
        services.AddSingleton<BudgetCatalog>();
        services.AddSingleton<CostPredictor>();
        return services;
    }
}
