using System.Net;
using System.Net.Http.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class SearchApiTests : ServerTest
{
    private async Task<SearchResponse> SearchAsync(string q, int? limit = null)
    {
        using var response = await Client.GetAsync("/api/search?q=" + Uri.EscapeDataString(q) + (limit is { } l ? "&limit=" + l : ""));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SearchResponse))!;
    }

    private async Task<string> IdleSessionAsync(string prompt, string says)
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, $"[{{\"say\": \"{says}\"}}]", prompt);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        return session.Id;
    }

    [Fact]
    public async Task Search_WordFromTheAgentsText_FindsTheSessionWithTheWordHighlighted()
    {
        var wanted = await IdleSessionAsync("Tidy the zoo", "The quokka escaped from its pen overnight.");
        await IdleSessionAsync("Something else", "Nothing about marsupials here.");

        var result = await SearchAsync("Quokka");

        var hit = result.Items.ShouldHaveSingleItem();
        hit.Session.Id.ShouldBe(wanted);
        hit.Source.ShouldBe("agent");
        hit.Snippet.ShouldContain("quokka escaped");
        var mark = hit.Highlights.ShouldHaveSingleItem();
        hit.Snippet.Substring(mark.Start, mark.Length).ShouldBe("quokka");
    }

    [Fact]
    public async Task Search_PromptsMessagesPrefixesAndPhrases_AreFound()
    {
        var id = await IdleSessionAsync("Refactor the billing module", "Done with the invoices.");
        using (var sent = await Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"now add wombat support\"}"))
            sent.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        (await SearchAsync("billing")).Items.ShouldHaveSingleItem().Source.ShouldBe("prompt");
        (await SearchAsync("wombat")).Items.ShouldHaveSingleItem().Source.ShouldBe("user");
        (await SearchAsync("invoi*")).Items.ShouldHaveSingleItem().Session.Id.ShouldBe(id);
        (await SearchAsync("\"the billing module\"")).Items.ShouldHaveSingleItem();
        (await SearchAsync("\"module billing\"")).Items.ShouldBeEmpty();
        // Every word must be in one text: the prompt and the later message are two.
        (await SearchAsync("billing wombat")).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Search_HostileQueries_Answer400OrResultsNever500()
    {
        await IdleSessionAsync("find me", "A quote \\\" and a star * and NEAR(a b) in text.");
        string[] hostile =
        [
            "\"", "\"\"\"", "\"unbalanced", "*", "**", "quote*\"", "NEAR(a b)", "NEAR", "a OR", "AND", "NOT x", "text:quote",
            "-star", "^quote", "(", ")", "{a b}", "a + b", "'; DROP TABLE search_text; --", "\u0000", "日本語", "😀 star",
            new string('x', 400), string.Join(' ', Enumerable.Repeat("star", 200)),
        ];
        foreach (var q in hostile)
        {
            using var response = await Client.GetAsync("/api/search?q=" + Uri.EscapeDataString(q));
            ((int)response.StatusCode).ShouldBeOneOf([200, 400], $"q={q}: {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
                (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("q");
        }
        (await SearchAsync("NEAR(a b)")).Items.ShouldHaveSingleItem();

        // A lone surrogate, percent-encoded as its (invalid) UTF-8: named, not searched.
        using var surrogate = await Client.GetAsync("/api/search?q=%ED%A0%80");
        surrogate.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await surrogate.ProblemAsync()).GetProperty("code").GetString().ShouldBe(ErrorCodes.InvalidText);
        using var nothing = await Client.GetAsync("/api/search?q=%22*%22");
        (await nothing.ProblemAsync()).GetProperty("code").GetString().ShouldBe(ErrorCodes.InvalidQuery);
        using var missing = await Client.GetAsync("/api/search");
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_Limit_IsCapped()
    {
        for (var i = 0; i < 3; i++)
            await IdleSessionAsync($"numbat survey {i}", "ok");
        (await SearchAsync("numbat", limit: 2)).Items.Count.ShouldBe(2);
        using var over = await Client.GetAsync($"/api/search?q=numbat&limit={SearchLimits.MaxResults + 1}");
        over.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await over.ProblemAsync()).GetProperty("field").GetString().ShouldBe("limit");
    }
}
