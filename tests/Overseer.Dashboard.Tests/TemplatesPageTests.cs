using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Contracts;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class TemplatesPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private const string Schema = """
        {"type": "object", "properties": {
           "file": {"type": "string", "pattern": "^src/", "description": "a file under src/"},
           "depth": {"type": "integer", "minimum": 1, "default": 2},
           "style": {"type": "string", "enum": ["terse", "thorough"]},
           "strict": {"type": "boolean"}},
         "required": ["file", "style"]}
        """;

    private async Task<string> CreateTemplateAsync(string name)
    {
        const string Prompt = "Test {{file}} to depth {{depth}}, {{style}}, strict={{strict}}.";
        var body = "{\"name\": \"" + name + "\", \"category\": \"testing\", \"prompt\": \"" + Prompt + "\", \"parametersSchema\": " + Schema + "}";
        using var response = await fixture.Api.PostJsonAsync("/api/templates", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!.Id;
    }

    [Fact]
    public async Task RunForm_HasAnInputPerParameter_AndStartsTheSessionWithTheRenderedPrompt()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var name = "Deep tests " + Guid.NewGuid().ToString("N")[..6];
        var id = await CreateTemplateAsync(name);
        var page = await fixture.SignedInPageAsync();

        await page.GotoAsync(fixture.Url("/templates"));
        (await page.Locator(".template", new() { HasTextString = "Review a change" }).CountAsync()).ShouldBe(1, "built-in templates are listed");
        await page.Locator($".template[data-template='{id}'] a").ClickAsync();
        await page.WaitForURLAsync(fixture.Url($"/templates/{id}"));

        var form = page.Locator("#run-template-form");
        (await form.Locator("input[name='param.depth']").GetAttributeAsync("type")).ShouldBe("number");
        (await form.Locator("input[name='param.strict']").GetAttributeAsync("type")).ShouldBe("checkbox");
        (await form.Locator("select[name='param.style'] option").AllTextContentsAsync()).ShouldBe(["terse", "thorough"]);
        await form.Locator("select[name=projectId]").SelectOptionAsync(project.Id);
        await DashboardFixture.ScreenshotAsync(page, "template-run");

        // The schema's pattern is the server's to check: its refusal names the parameter.
        await form.Locator("input[name='param.file']").FillAsync("lib/a.cs");
        await form.Locator("select[name='param.style']").SelectOptionAsync("thorough");
        await form.Locator("select[name=isolation]").SelectOptionAsync("none");
        await form.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#toasts .toast", new() { HasTextString = "Parameter 'file'" }).WaitForAsync();

        await form.Locator("input[name='param.file']").FillAsync("src/a.cs");
        await form.Locator("input[name='param.strict']").CheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/s_[a-z0-9]+$"));
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var session = await fixture.Api.GetSessionAsync(sessionId);
        session.Prompt.ShouldBe("Test src/a.cs to depth 2, thorough, strict=true.");
        session.TemplateId.ShouldBe(id);
    }

    [Fact]
    public async Task NewTemplateForm_SavesIt_AndABuiltInIsCopiedToChangeIt()
    {
        await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("/templates"));
        await page.Locator("details.panel summary", new() { HasTextString = "New template" }).ClickAsync();
        var form = page.Locator("#new-template-form");
        var name = "Greeting " + Guid.NewGuid().ToString("N")[..6];
        await form.Locator("input[name=name]").FillAsync(name);
        await form.Locator("textarea[name=prompt]").FillAsync("Greet {{who}}.");
        await form.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/templates/tpl_[a-z0-9]+$"));
        (await page.Locator("h1").TextContentAsync()).ShouldBe(name);
        (await page.Locator("#run-template-form input[name='param.who']").GetAttributeAsync("required")).ShouldNotBeNull();

        await page.GotoAsync(fixture.Url("/templates/builtin-update-docs"));
        (await page.Locator("#delete-template").CountAsync()).ShouldBe(0, "a built-in template cannot be removed");
        await page.Locator("#copy-template").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/templates/tpl_[a-z0-9]+$"));
        (await page.Locator("h1").TextContentAsync()).ShouldBe("Update the docs (copy)");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("#delete-template").ClickAsync();
        await page.WaitForURLAsync(fixture.Url("/templates"));
        (await page.Locator(".template", new() { HasTextString = "Update the docs (copy)" }).CountAsync()).ShouldBe(0);
    }
}
