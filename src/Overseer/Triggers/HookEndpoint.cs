using Overseer.Auth;

namespace Overseer.Triggers;

/// <summary>
/// <c>POST /hooks/{id}</c>: open to anyone, because GitHub and GitLab cannot hold our tokens; the
/// delivery's signature is its authentication (<see cref="HookReceiver"/>). No cookies, no
/// anti-forgery token: nothing here acts for a signed-in browser.
/// </summary>
internal static class HookEndpoint
{
    public static IEndpointRouteBuilder MapTriggerHooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/hooks/{id}", (string id, HttpContext context, HookReceiver receiver) => receiver.ReceiveAsync(id, context))
            .AllowAnonymous().Public().DisableAntiforgery();
        return app;
    }
}
