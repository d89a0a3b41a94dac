using Microsoft.Playwright;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// One Chromium, one sample app and one page on another origin for every browser test (the
/// <see cref="BrowserCollection"/>): each test opens its own browser contexts — separate cookie jars, like separate
/// devices — which costs milliseconds, not a browser start.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's <c>chromium</c> package (installed by <c>./build.sh test</c>).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public SampleOnKestrel Sample { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A site on another port of localhost, whose forms post to the sample.</summary>
    public OtherOriginSite OtherOrigin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (./build.sh test does).");
        }

        // How long an expectation waits for the page to get there (default 5 s): CI runs every test project at once on
        // two cores, and a page that gets there later is still right.
        Assertions.SetDefaultExpectTimeout(20_000);
        Sample.Start();
        OtherOrigin = await OtherOriginSite.StartAsync(Sample.Origin);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. The rest keep the browser from
            // reaching out to the network (updates, sync, safe-browsing lists): it talks only to the loopback servers.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A new context (cookie jar) whose relative URLs go to the sample.</summary>
    public Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = Sample.Origin;
        return Browser.NewContextAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (OtherOrigin is not null)
        {
            await OtherOrigin.DisposeAsync();
        }

        await Sample.DisposeAsync();
    }
}

/// <summary>The browser tests share one <see cref="BrowserFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
