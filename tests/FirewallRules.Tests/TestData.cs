namespace FirewallRules.Tests;

/// <summary>Paths to the real documents and corpora in the repository's data/ folder (see data/PROVENANCE.md).</summary>
internal static class TestData
{
    public static string Root => Path.Combine(TestContext.CurrentContext.TestDirectory, "data");

    /// <summary>The clone the tests were built from, found by its solution file (source paths are remapped in CI builds).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FirewallRules.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("cannot find FirewallRules.sln above the test directory");
        }
    }

    public static string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string AwsCorpus => Path_("corpus", "aws-ip-ranges-2026-08-22.json");

    public static string AzureCorpus => Path_("corpus", "azure-ServiceTags_Public_20221212.json");

    /// <summary>Every real Datadog ip-ranges document, oldest first.</summary>
    public static IReadOnlyList<string> IpRangesDocuments =>
        Directory.GetFiles(Path_("ip-ranges"), "*.json")
            .OrderBy(path => int.Parse(Path.GetFileNameWithoutExtension(path).Split("-v")[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();

    /// <summary>Each real document with the next one, in both directions: the version changes an incremental update meets.</summary>
    public static IEnumerable<TestCaseData> ConsecutiveDocumentsAndDirections() =>
        from pair in IpRangesDocuments.Zip(IpRangesDocuments.Skip(1))
        from direction in new[] { Direction.Egress, Direction.Ingress }
        select new TestCaseData(Path.GetFileName(pair.First), Path.GetFileName(pair.Second), direction);
}
