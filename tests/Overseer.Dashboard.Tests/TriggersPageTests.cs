using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class TriggersPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task CreateForm_ShowsTheHookUrlAndSecretOnce_AndTheTriggersPageListsWhatItReceived()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var templateName = "Triage " + Guid.NewGuid().ToString("N")[..6];
        using (var template = await fixture.Api.PostJsonAsync("/api/templates", $$$"""{"name": "{{{templateName}}}", "prompt": "Triage {{title}} ({{url}})"}"""))
            template.EnsureSuccessStatusCode();
        var page = await fixture.SignedInPageAsync();

        await page.ClickAsync("nav a[href='/triggers']");
        await page.WaitForURLAsync(fixture.Url("/triggers"));
        var form = page.Locator("#new-trigger-form");
        await form.Locator("input[name=name]").FillAsync("widgets issues");
        await form.Locator("select[name=provider]").SelectOptionAsync("github");
        await form.Locator("select[name=projectId]").SelectOptionAsync(project.Id);
        await form.Locator("select[name=templateId]").SelectOptionAsync(new SelectOptionValue { Label = templateName });
        await form.Locator("textarea[name=parameters]").FillAsync("title = $.issue.title\nurl = event.url");
        await form.Locator("input[name=comment]").UncheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();

        var created = page.Locator("#trigger-created");
        await created.WaitForAsync();
        var hookUrl = await created.Locator("#trigger-hook-url").InputValueAsync();
        var secret = await created.Locator("#trigger-secret").InputValueAsync();
        secret.ShouldStartWith("whsec_");
        (await created.TextContentAsync())!.ShouldContain("never shown again");
        await DashboardFixture.ScreenshotAsync(page, "trigger-created");
        var triggerId = hookUrl[(hookUrl.LastIndexOf('/') + 1)..];

        // GitHub delivers an issue, signed with the secret the page showed.
        const string Payload = """
            {"action": "opened", "issue": {"number": 9, "title": "Login page is blank", "html_url": "https://github.com/octo/web/issues/9"}, "repository": {"full_name": "octo/web"}}
            """;
        using var github = new HttpClient { BaseAddress = fixture.Server.Address };
        using var hook = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{triggerId}") { Content = new StringContent(Payload, Encoding.UTF8, "application/json") };
        hook.Headers.Add("X-GitHub-Event", "issues");
        hook.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        hook.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Payload))));
        using var answer = await github.SendAsync(hook);
        ((int)answer.StatusCode).ShouldBe(202, await answer.Content.ReadAsStringAsync());
        var sessionId = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetString();

        await page.GotoAsync(fixture.Url("/triggers"));
        await page.Locator("#triggers a", new() { HasTextString = "widgets issues" }).ClickAsync();
        await page.WaitForURLAsync(fixture.Url($"/triggers/{triggerId}"));
        (await page.Locator("#hook-url").TextContentAsync()).ShouldBe(hookUrl);
        (await page.Locator("#trigger-rules").TextContentAsync())!.ShouldContain(templateName);
        (await page.ContentAsync()).ShouldNotContain(secret);
        var row = page.Locator("#deliveries tbody tr").First;
        (await row.GetAttributeAsync("data-outcome")).ShouldBe("started");
        (await row.Locator("a[href^='/sessions/']").TextContentAsync()).ShouldBe(sessionId);
        await DashboardFixture.ScreenshotAsync(page, "trigger-deliveries");
        var session = await fixture.Api.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}");
        session.GetProperty("prompt").GetString().ShouldBe("Triage Login page is blank (https://github.com/octo/web/issues/9)");
    }
}
