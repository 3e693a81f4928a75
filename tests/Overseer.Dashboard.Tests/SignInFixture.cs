using Microsoft.AspNetCore.Identity;
using Microsoft.Playwright;
using Overseer.Auth;
using Overseer.Storage;
using Overseer.TestKit;
using Overseer.TestKit.OpenId;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// A real Overseer server on a loopback socket, in this process so a test can change users the
/// way the users API does (the store, then <see cref="AccessChanges"/>); a real OpenID provider
/// beside it; and headless Chromium. The browser opens the server as <c>localhost</c>, the name
/// passkeys are bound to (a browser refuses an IP address as relying party id), while the
/// provider lives at 127.0.0.1: another site, as a real provider is.
/// </summary>
public sealed class SignInFixture : IAsyncLifetime
{
    public const string ProviderName = "Test IdP";
    public const string AdminsGroup = "overseer-admins";
    public const string OpsGroup = "ops";
    public const int AttemptsPerUser = 3;

    private readonly TempDirectory _root = new();
    private IPlaywright? _playwright;

    public TestServer Server { get; private set; } = null!;
    public OpenIdProvider Provider { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri Address { get; private set; } = null!;

    public IUserStore Users => Server.Service<IUserStore>();

    /// <summary>Everything the server logged, to tell why a sign-in was refused.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Provider = await OpenIdProvider.StartAsync();
        var projects = Path.Combine(_root.Path, "projects");
        Directory.CreateDirectory(projects);
        Server = await TestServer.StartAsync(Path.Combine(_root.Path, "data"), projects, new Dictionary<string, string?>
        {
            ["Dashboard:LoginAttemptsPerMinute"] = "1000",
            ["Dashboard:LoginAttemptsPerUserPerMinute"] = AttemptsPerUser.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Auth:Oidc:Authority"] = Provider.Issuer.ToString(),
            ["Auth:Oidc:ClientId"] = OpenIdProvider.ClientId,
            ["Auth:Oidc:ClientSecret"] = OpenIdProvider.ClientSecret,
            ["Auth:Oidc:DisplayName"] = ProviderName,
            ["Auth:Oidc:AutoCreateUsers"] = "true",
            ["Auth:Oidc:DefaultRole"] = "viewer",
            ["Auth:Oidc:GroupMappings:0:Group"] = AdminsGroup,
            ["Auth:Oidc:GroupMappings:0:Role"] = "admin",
            ["Auth:Oidc:GroupMappings:1:Group"] = OpsGroup,
            ["Auth:Oidc:GroupMappings:1:Role"] = "operator",
        }, Logs);
        Address = new UriBuilder(Server.Address) { Host = "localhost" }.Uri;
        Provider.AllowRedirectUri(new Uri(Address, "/signin-oidc"));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = DashboardFixture.ChromiumPath(), Headless = true });
    }

    public string Url(string path) => new Uri(Address, path).ToString();

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>A user with a password, stored as the users API stores it (PasswordHasher, default options).</summary>
    public async Task<UserRecord> AddUserAsync(string name, string role, string? password, PasswordHasherCompatibilityMode mode = PasswordHasherCompatibilityMode.IdentityV3)
    {
        var user = new UserRecord("u_" + Guid.NewGuid().ToString("N")[..12], name, role, null, DateTimeOffset.UtcNow);
        if (password is not null)
        {
            var hasher = new PasswordHasher<UserRecord>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { CompatibilityMode = mode }));
            user = user with { PasswordHash = hasher.HashPassword(user, password) };
        }
        (await Users.AddAsync(user)).ShouldBeTrue();
        return user;
    }

    /// <summary>Changes a user as the users API does: the store, then the one call that makes every session look again.</summary>
    public async Task UpdateUserAsync(UserRecord user)
    {
        (await Users.UpdateAsync(user)).ShouldBeTrue();
        Server.Service<AccessChanges>().Changed();
    }

    public async Task SignInWithPasswordAsync(IPage page, string name, string password)
    {
        await page.GotoAsync(Url("/login"));
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#password-form button[type=submit]");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
        if (Provider is not null)
            await Provider.DisposeAsync();
        _root.Dispose();
    }
}
