using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;

namespace Overseer.Dashboard;

/// <summary>
/// Renders Razor components to HTML outside a page request: the live stream renders each change
/// once and writes the text to the tab. A renderer keeps every root component it rendered, so
/// each batch gets its own renderer and scope and lets them go.
/// </summary>
public sealed class FragmentRenderer(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public async Task<string> RenderAsync(HttpRequest request, Func<Batch, Task> render)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Forms render their action from the current address, as they do in a page.
        if (scope.ServiceProvider.GetService<NavigationManager>() is IHostEnvironmentNavigationManager navigation)
        {
            var baseUri = $"{request.Scheme}://{request.Host}{request.PathBase}/";
            navigation.Initialize(baseUri, baseUri + request.Path.Value?.TrimStart('/'));
        }
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var batch = new Batch(renderer);
            await render(batch);
            return batch.Html.ToString();
        });
    }

    public sealed class Batch(HtmlRenderer renderer)
    {
        internal System.Text.StringBuilder Html { get; } = new();

        public async Task AddAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            using var writer = new StringWriter(Html);
            output.WriteHtmlTo(writer);
        }

        public void AddRaw(string html) => Html.Append(html);
    }
}
