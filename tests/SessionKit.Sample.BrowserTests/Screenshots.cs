using Microsoft.Playwright;

namespace SessionKit.Sample.BrowserTests;

/// <summary>
/// Screenshots of the page for people reviewing a run: written to <c>artifacts/test-results/screenshots</c> beside the
/// test reports (<c>./build.sh test</c>), named in the test's output and attached to its result.
/// </summary>
internal static class Screenshots
{
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
        TestContext.Current.AddAttachment(name + ".png", png, "image/png");
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SessionKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SessionKit.sln not found above " + AppContext.BaseDirectory);
    }
}
