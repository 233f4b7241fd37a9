namespace FirewallRules.Tests.Packaging;

/// <summary>The version a pack gets: a dev prerelease for local packs, exactly what a release passes.</summary>
[TestFixture]
[Category("Package")]
public sealed class PackageVersionTests
{
    private static readonly string Library = Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules");

    [Test]
    public async Task PackageVersion_LocalPack_IsADevPrereleaseOfTheMinute()
    {
        string version = (await BuildCommand.RunAsync("dotnet", Library, "msbuild", "-getProperty:PackageVersion")).Trim();

        Assert.That(version, Does.Match(@"^\d+\.\d+\.\d+-dev\.\d{12}$"));
        Assert.That(DateTime.ParseExact(version[^12..], "yyyyMMddHHmm", null), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(30)));
    }

    [Test]
    public async Task PackageVersion_ReleaseVersionGiven_IsThatVersion()
    {
        string version = (await BuildCommand.RunAsync("dotnet", Library, "msbuild", "-getProperty:PackageVersion", "-p:Version=1.2.3")).Trim();

        Assert.That(version, Is.EqualTo("1.2.3"));
    }

    [TestCase("FirewallRules")]
    [TestCase("FirewallRules.Aws")]
    [TestCase("FirewallRules.IPNetwork2")]
    public async Task PackageValidation_ALaterRelease_IsCheckedAgainstThePublicApiOf010(string project)
    {
        string directory = Path.Combine(TestData.RepositoryRoot, "src", project);

        string later = (await BuildCommand.RunAsync(
            "dotnet", directory, "msbuild", "-getProperty:PackageValidationBaselineVersion", "-getProperty:EnablePackageValidation", "-p:Version=0.2.0")).Trim();
        string now = (await BuildCommand.RunAsync("dotnet", directory, "msbuild", "-getProperty:PackageValidationBaselineVersion", "-getProperty:EnablePackageValidation")).Trim();

        Assert.That(later, Does.Contain("\"PackageValidationBaselineVersion\": \"0.1.0\"").And.Contain("\"EnablePackageValidation\": \"true\""));
        Assert.That(now, Does.Contain("\"PackageValidationBaselineVersion\": \"\""), "0.1.0 itself has nothing to compare with");
    }
}
