using Overseer.Auth;
using System.Net;
using System.Text;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Dashboard;
using Overseer.Storage;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// <c>/n/{token}</c>, where action links lead. Opening one (GET) shows the item and one button
/// (for a RED approval, a field for its phrase): a mail scanner that fetches links decides
/// nothing. Sending it (POST: the button, an ntfy action, the service worker) decides, once, as
/// the user the link was made for. A forged, expired or used link gets a page that says so.
/// No sign-in: the signed link is the authorization.
/// </summary>
internal static class ActionPages
{
    public static IEndpointRouteBuilder MapActionPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/n/{token}", ShowAsync).AllowAnonymous().Public();
        app.MapPost("/n/{token}", ActAsync).AllowAnonymous().Public().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, ActionLinks links, INotificationStore store, IReadModel readModel, CancellationToken cancellationToken)
    {
        var (claim, refusal) = links.Check(token);
        if (refusal is null && await store.LinkUsedAsync(claim!.Nonce, cancellationToken))
            refusal = LinkRefusal.Used;
        if (refusal is { } refused)
            return Refused(refused);
        var (heading, detail, phrase) = await DescribeAsync(claim!, readModel, cancellationToken);
        if (detail is null)
            return Page(StatusCodes.Status409Conflict, "Already decided", heading);
        var body = new StringBuilder();
        body.Append("<h1>").Append(E(heading)).Append("</h1><pre>").Append(E(detail)).Append("</pre>");
        body.Append("<form method=\"post\">");
        if (phrase is not null && claim!.Action == "approve")
            body.Append("<p>This is a RED call. Type <code>").Append(E(phrase)).Append("</code> to approve it.</p>")
                .Append("<input name=\"confirm\" autocomplete=\"off\" autocapitalize=\"off\" required aria-label=\"Confirmation phrase\">");
        body.Append("<button type=\"submit\">").Append(E(Verb(claim!))).Append("</button></form>");
        return Page(StatusCodes.Status200OK, heading, body.ToString(), raw: true);
    }

    private static async Task<IResult> ActAsync(string token, HttpContext context, ActionLinks links, INotificationStore store, ItemDecisions decisions, IReadModel readModel, TimeProvider time)
    {
        var (claim, refusal) = links.Check(token);
        if (refusal is { } refused)
            return Refused(refused);
        var confirm = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(context.RequestAborted))["confirm"].FirstOrDefault() : null;
        if (!await store.UseLinkAsync(claim!.Nonce, claim.UserId, time.GetUtcNow(), context.RequestAborted))
            return Refused(LinkRefusal.Used);
        var result = await decisions.DecideAsync(claim, confirm, context.RequestAborted);
        if (result.Succeeded)
            return Page(StatusCodes.Status200OK, "Done", $"{Done(claim)}. The session goes on.");
        if (result.Code == ErrorCodes.ConfirmationRequired)
        {
            // A mistyped phrase is the person's to correct: the link stays usable.
            await store.ReleaseLinkAsync(claim.Nonce, context.RequestAborted);
            return Page(StatusCodes.Status400BadRequest, "Phrase did not match", $"{result.Message} Go back and type it again.");
        }
        if (result.Outcome == CommandOutcome.InvalidState)
        {
            var (heading, _, _) = await DescribeAsync(claim, readModel, context.RequestAborted);
            return Page(StatusCodes.Status409Conflict, "Already decided", heading);
        }
        return Page(result.Code == NotificationErrors.Forbidden ? StatusCodes.Status403Forbidden : Api.Problems.StatusOf(result), "Not done", result.Message ?? "The action was refused.");
    }

    /// <summary>A heading, the item's detail (null once it is no longer pending) and a RED approval's phrase.</summary>
    private static async Task<(string Heading, string? Detail, string? Phrase)> DescribeAsync(ActionClaim claim, IReadModel readModel, CancellationToken cancellationToken)
    {
        if (claim.Kind == "approval" && await readModel.GetApprovalAsync(claim.ItemId, cancellationToken) is { } a)
        {
            return a.Status == "pending"
                ? ($"{a.Tier} approval: {a.Tool}", a.Input.TryGetProperty("command", out var c) ? c.ToString() + "\n" + a.Reason : a.Input.GetRawText() + "\n" + a.Reason, a.ConfirmPhrase)
                : ($"This approval was already {Decisions.Approval(a.Decision, a.DecidedBy, a.How, a.DecisionReason)}.", null, null);
        }
        if (claim.Kind == "question" && await readModel.GetQuestionAsync(claim.ItemId, cancellationToken) is { } q)
        {
            return q.Status == "pending"
                ? ("Question from an agent", string.Join("\n", q.Questions.Select(x => x.Question)), null)
                : ($"This question was already {q.Status}.", null, null);
        }
        return ("This item no longer exists.", null, null);
    }

    private static string Verb(ActionClaim claim) => claim.Action switch
    {
        "approve" => "Approve",
        "deny" => "Deny",
        _ => $"Answer “{claim.Option}”",
    };

    private static string Done(ActionClaim claim) => claim.Action switch
    {
        "approve" => "Approved",
        "deny" => "Denied",
        _ => $"Answered “{claim.Option}”",
    };

    private static IResult Refused(LinkRefusal refusal) => refusal switch
    {
        LinkRefusal.Expired => Page(StatusCodes.Status410Gone, "Link expired", "This link has expired. Open the item in the dashboard to decide it."),
        LinkRefusal.Used => Page(StatusCodes.Status410Gone, "Link already used", "This link was already used; each link works once. Open the item in the dashboard to see how it was decided."),
        _ => Page(StatusCodes.Status403Forbidden, "Link not valid", "This link is not one this server made (it was changed or cut short). Nothing was done."),
    };

    private static IResult Page(int status, string title, string body, bool raw = false)
    {
        var html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
            $"<title>{E(title)} · Overseer</title><style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}" +
            "pre{white-space:pre-wrap;background:#f4f4f4;padding:.75rem}button,input{font-size:1.2rem;padding:.6rem 1rem;margin:.3rem 0;width:100%}</style></head><body>" +
            (raw ? body : $"<h1>{E(title)}</h1><p>{E(body)}</p>") + "</body></html>";
        return new PageResult(status, html);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private sealed class PageResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            SecurityHeaders.Apply(context.Response);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(html, context.RequestAborted);
        }
    }
}
