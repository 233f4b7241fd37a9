using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// Rendered rule text is public contract: each format's output on a real document is pinned in
/// <c>Emitters/Expected/&lt;format&gt;/&lt;case&gt;</c>. Set <c>UPDATE_GOLDEN=1</c> to rewrite the files
/// after a deliberate change, then review the diff and note it in CHANGELOG.md.
/// </summary>
internal static class GoldenFile
{
    /// <summary>
    /// How the files spell the generator every output names (<see cref="RuleSetProvenance.Generator"/>): as the version
    /// they were first written at. A build's version changes with each commit (0.2.0-alpha.0.N, from git), so the
    /// comparison puts this in its place; the packaging tests check that an installed build names its own version.
    /// </summary>
    private const string Generator = "FirewallRules 0.1.0";

    public static void AssertMatches(string actual, string format, string name) =>
        AssertMatchesFile(actual, Path.Combine("Emitters", "Expected", format, name));

    /// <summary>Compares with a pinned file at <paramref name="relative"/> (from the test project's folder).</summary>
    public static void AssertMatchesFile(string actual, string relative)
    {
        actual = actual.Replace(RuleSetProvenance.Generator, Generator, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            string source = Path.Combine(TestData.RepositoryRoot, "tests", "FirewallRules.Tests", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            Assert.Warn($"rewrote {relative}; review it before committing");
            return;
        }

        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, relative);
        Assert.That(File.Exists(path), Is.True, $"{relative} is missing: run the tests once with UPDATE_GOLDEN=1 and review the file");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)), $"output differs from {relative}");
    }
}
