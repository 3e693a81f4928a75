using Microsoft.Playwright;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// A real <c>overseer serve</c> process (scripted runtime), a TCP relay in front of it that a test
/// can cut, and headless Debian Chromium driven by Playwright. Shared by the tests of one class;
/// each test gets its own browser context (its own cookies).
/// </summary>
public class DashboardFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = null!;
    public TcpProxy Proxy { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public string ProjectsRoot => Path.Combine(_root.Path, "projects");

    /// <summary>Where the browser points: through the relay, so tests can drop its connections.</summary>
    public Uri Address => Proxy.Address;

    /// <summary>The scratch directory this fixture deletes when it is done.</summary>
    protected string Root => _root.Path;

    /// <summary>More environment for the server process (a subclass adds a runtime's settings here).</summary>
    protected virtual Task<Dictionary<string, string>> ServerEnvironmentAsync() => Task.FromResult(new Dictionary<string, string>());

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectsRoot);
        var environment = await ServerEnvironmentAsync();
        environment["OVERSEER__Dashboard__LoginAttemptsPerMinute"] = "1000";
        // Tests of one class share the server and leave sessions waiting; none should queue.
        environment["OVERSEER__Sessions__MaxConcurrent"] = "100";
        // As on a machine without Claude Code: the forms must show it unavailable, not preselect it.
        environment.TryAdd("OVERSEER__Runtimes__ClaudeCode__ExecutablePath", "/nonexistent/claude");
        Server = await ServerProcess.StartAsync(Path.Combine(_root.Path, "data"), ProjectsRoot, environment);
        Proxy = new TcpProxy(Server.Address);
        Api = Server.CreateClient();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
        });
    }

    public string NewProjectDir()
    {
        var dir = Path.Combine(ProjectsRoot, "p" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A fresh browser context (no cookies) with one page, signed in with the admin token.</summary>
    public async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync(new Uri(Address, "/login").ToString());
        await page.FillAsync("#token", Server.Token);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.WaitForURLAsync(new Uri(Address, "/").ToString());
        return page;
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens the board's "New session" panel (it starts open only when there are no sessions yet).</summary>
    public static async Task OpenNewSessionFormAsync(IPage page)
    {
        if (!await page.Locator("#new-session-form").IsVisibleAsync())
            await page.ClickAsync("details.new-session > summary");
        await page.Locator("#new-session-form").WaitForAsync();
    }

    public string Url(string path) => new Uri(Address, path).ToString();

    /// <summary>Saves a screenshot under artifacts/screenshots at the repository root, for people to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Overseer.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }

    internal static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("OVERSEER_TEST_CHROMIUM");
        foreach (var candidate in new[] { configured, "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("Chromium was not found: install Debian's chromium package (test.sh does) or set OVERSEER_TEST_CHROMIUM.");
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        if (Proxy is not null)
            await Proxy.DisposeAsync();
        if (Server is not null)
            await Server.DisposeAsync();
        _root.Dispose();
    }
}
