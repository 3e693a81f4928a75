using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Overseer.Dashboard;

/// <summary>
/// Renders Razor components to HTML outside a request: the live stream renders each change once
/// and writes the text to the tab. A renderer keeps every root component it rendered, so each
/// batch gets its own and lets it go.
/// </summary>
public sealed class FragmentRenderer(IServiceProvider services, ILoggerFactory loggers)
{
    public async Task<string> RenderAsync(Func<Batch, Task> render)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
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
            output.WriteHtmlTo(new StringWriter(Html));
        }

        public void AddRaw(string html) => Html.Append(html);

        public bool IsEmpty => Html.Length == 0;
    }
}
