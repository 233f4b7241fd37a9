using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Documentation;

/// <summary>
/// SECURITY.md's ways to report a flaw lead to the repository the builds name (<c>RepositoryUrl</c> in Directory.Build.targets,
/// where SourceLink and the packages point): its private vulnerability reporting, and its issues for the fallback.
/// </summary>
[TestFixture]
public sealed partial class SecurityPolicyTests
{
    [Test]
    public void ReportingRoutes_AreTheRepositoryTheBuildsName()
    {
        string targets = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "Directory.Build.targets"));
        string repository = RepositoryUrl().Match(targets).Groups["url"].Value;
        string policy = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "SECURITY.md"));

        Assert.That(repository, Does.StartWith("https://github.com/"));
        Assert.That(policy, Does.Contain($"<{repository}/security/advisories/new>").And.Contain($"<{repository}/issues/new>"));
        Assert.That(Links().Matches(policy).Select(link => link.Value).Where(link => !link.StartsWith(repository, StringComparison.Ordinal)), Is.Empty,
            "links elsewhere than the repository");
    }

    [GeneratedRegex(@"<RepositoryUrl Condition=""[^""]*"">(?<url>[^<]+)</RepositoryUrl>")]
    private static partial Regex RepositoryUrl();

    [GeneratedRegex(@"https?://[^\s>)]+")]
    private static partial Regex Links();
}
