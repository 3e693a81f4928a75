using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Overseer.Core.Agents.Tools;

public static class ToolsServiceCollectionExtensions
{
    /// <summary>
    /// The built-in tools of Overseer's own agent loop, shared by every runtime on it (anthropic,
    /// openai, router). WebFetch gets a client of its own: redirects followed, no cookies.
    /// </summary>
    public static IServiceCollection AddAgentTools(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => new ToolCatalog(new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestHeaders = { { "User-Agent", "Overseer-WebFetch/1.0" } },
        }));
        return services;
    }
}
