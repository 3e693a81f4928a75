using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class ChangesTabTests(WorktreeDashboardFixture fixture) : IClassFixture<WorktreeDashboardFixture>
{
    /// <summary>An idle worktree session on a fresh repository, with what its agent left in the worktree.</summary>
    private async Task<(string ProjectDir, SessionDto Session)> SessionWithWorkAsync(string file, string content)
    {
        var dir = fixture.NewProjectDir();
        await GitRepo.InitAsync(dir);
        var project = await fixture.Api.CreateProjectAsync(dir);
        using var response = await fixture.Api.PostJsonAsync("/api/sessions",
            $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"Add a feature\", \"runtime\": \"scripted\", \"isolation\": \"worktree\", \"script\": [{{\"say\": \"Done.\"}}]}}");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        await File.WriteAllTextAsync(Path.Combine(session.Worktree!.Path, file), content);
        return (dir, session);
    }

    /// <summary>Opens the session page and goes to its Changes tab the way a person would.</summary>
    private async Task<IPage> ChangesTabAsync(string sessionId)
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{sessionId}"));
        await page.ClickAsync("#changes-tab");
        await page.WaitForURLAsync(fixture.Url($"/sessions/{sessionId}/changes"));
        return page;
    }

    [Fact]
    public async Task Merge_ConfirmedOnTheChangesTab_LandsTheFileInTheProject()
    {
        var (projectDir, session) = await SessionWithWorkAsync("feature.txt", "landed from the page\n");
        var page = await ChangesTabAsync(session.Id);

        (await page.Locator(".changed-files tr").TextContentAsync())!.ShouldContain("feature.txt");
        (await page.Locator(".diff .d-add", new() { HasTextString = "landed from the page" }).CountAsync()).ShouldBe(1);
        File.Exists(Path.Combine(projectDir, "feature.txt")).ShouldBeFalse();
        string? asked = null;
        page.Dialog += async (_, dialog) => { asked = dialog.Message; await dialog.AcceptAsync(); };
        await page.ClickAsync("#merge");

        await page.Locator("#worktree-state", new() { HasTextString = "merged into the project" }).WaitForAsync();
        asked.ShouldNotBeNull().ShouldContain(session.Worktree!.Branch);
        (await File.ReadAllTextAsync(Path.Combine(projectDir, "feature.txt"))).ShouldBe("landed from the page\n");
        (await GitRepo.RunAsync(projectDir, "status", "--porcelain")).Trim().ShouldBeEmpty();
        (await page.Locator("#merge").CountAsync()).ShouldBe(0, "a merged worktree offers no second merge");
        await DashboardFixture.ScreenshotAsync(page, "changes-merged");
    }

    [Fact]
    public async Task Discard_CancelledThenConfirmed_KeepsTheWorkUntilConfirmedThenDeletesTheBranch()
    {
        var (projectDir, session) = await SessionWithWorkAsync("scratch.txt", "throwaway\n");
        var page = await ChangesTabAsync(session.Id);
        var branch = session.Worktree!.Branch;

        // Dismissing the confirmation decides nothing.
        page.Dialog += DismissAsync;
        await page.ClickAsync("#discard");
        (await GitRepo.RunAsync(projectDir, "branch", "--list", branch)).ShouldContain(branch);
        File.Exists(Path.Combine(session.Worktree.Path, "scratch.txt")).ShouldBeTrue();
        page.Dialog -= DismissAsync;

        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.ClickAsync("#discard");

        await page.Locator(".changes-empty", new() { HasTextString = "were discarded" }).WaitForAsync();
        (await GitRepo.RunAsync(projectDir, "branch", "--list", branch)).Trim().ShouldBeEmpty();
        Directory.Exists(session.Worktree.Path).ShouldBeFalse();
        File.Exists(Path.Combine(projectDir, "scratch.txt")).ShouldBeFalse();

        static async void DismissAsync(object? sender, IDialog dialog) => await dialog.DismissAsync();
    }

    [Fact]
    public async Task Merge_Conflict_IsShownPlainlyAndNothingIsLost()
    {
        var (projectDir, session) = await SessionWithWorkAsync("README.md", "# From the agent\n");
        await File.WriteAllTextAsync(Path.Combine(projectDir, "README.md"), "# From a person\n");
        await GitRepo.CommitAllAsync(projectDir, "person's edit");
        var page = await ChangesTabAsync(session.Id);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        await page.ClickAsync("#merge");

        var problem = page.Locator("#changes-outcome .changes-problem");
        await problem.WaitForAsync();
        var text = (await problem.TextContentAsync())!;
        text.ShouldContain("Not merged.");
        text.ShouldContain("README.md");
        text.ShouldContain("Nothing was changed");
        (await File.ReadAllTextAsync(Path.Combine(projectDir, "README.md"))).ShouldBe("# From a person\n");
        (await File.ReadAllTextAsync(Path.Combine(session.Worktree!.Path, "README.md"))).ShouldBe("# From the agent\n");
        (await page.Locator("#merge").IsVisibleAsync()).ShouldBeTrue("the work can still be merged once resolved");
    }

    [Fact]
    public async Task ChangesTab_SessionWithoutWorktree_IsNotOfferedAndSaysWhyWhenOpened()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, "[{\"say\": \"hi\"}]");
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        await page.Locator("#session-head").WaitForAsync();
        (await page.Locator("#changes-tab").CountAsync()).ShouldBe(0);

        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}/changes"));
        (await page.Locator(".changes-empty").TextContentAsync())!.ShouldContain("has no worktree");
    }
}
