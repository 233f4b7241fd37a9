using System.Globalization;
using System.Text.RegularExpressions;
using FirewallRules.Cidr.Bulk;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// The bulk path (<c>Cidr/Bulk/</c>, namespace <c>FirewallRules.Cidr.Bulk</c>: vectors, bitmaps and a second thread for
/// long lists) is marked off from the strict engine every firewall path uses: the strict engine's files never name it,
/// <see cref="PrefixSet"/> is the one door in the library that hands long input to it, and only it starts a thread.
/// </summary>
[TestFixture]
public partial class BulkPathTests
{
    private const string BulkNamespace = "FirewallRules.Cidr.Bulk";

    /// <summary>The library files allowed to hand work to the bulk path: the public type's reading, collapsing and writing of long lists.</summary>
    private static readonly string[] Doors = ["src/FirewallRules/Cidr/PrefixSet.cs"];

    [Test]
    public void LibraryOutsideTheBulkFolder_NeverUsesIt_ExceptThroughPrefixSet()
    {
        string[] bulkTypes = BulkTypeNames();
        var violations = new List<string>();
        foreach (string file in SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules/", StringComparison.Ordinal)
            && !f.StartsWith("src/FirewallRules/Cidr/Bulk/", StringComparison.Ordinal) && !Doors.Contains(f)))
        {
            string code = SourceCode.WithoutComments(SourceCode.Read(file));
            IEnumerable<string> used = Identifier().Matches(code).Select(m => m.Value).Intersect(bulkTypes)
                .Concat(code.Contains(BulkNamespace, StringComparison.Ordinal) ? [BulkNamespace] : []);
            violations.AddRange(used.Select(name => $"{file} uses {name}"));
        }

        Assert.That(violations, Is.Empty, "the strict engine and the stages after it stay free of the bulk path");
    }

    [Test]
    public void BulkTypeNames_FindTheBulkPath()
    {
        // Guards the check above against a namespace that silently holds nothing.
        Assert.That(
            BulkTypeNames(),
            Is.SupersetOf(new[] { "SecondThread", "BulkListReader", "BulkAlgebra", "DenseBuckets", "VectorMerge", "DottedQuad", "BlockTextWriter", "CommonLines" }));
        Assert.That(Directory.EnumerateFiles(Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules", "Cidr", "Bulk"), "*.cs")
            .Select(f => File.ReadAllText(f)), Has.All.Contains($"namespace {BulkNamespace};"));
    }

    [Test]
    public void Library_StartsAThreadOnlyInTheBulkPathsSecondThread()
    {
        string[] starting = [.. SourceCode.Files().Where(f => f.StartsWith("src/FirewallRules/", StringComparison.Ordinal)
            && ThreadStart().IsMatch(SourceCode.WithoutComments(SourceCode.Read(f))))];

        Assert.That(starting, Is.EqualTo(new[] { "src/FirewallRules/Cidr/Bulk/SecondThread.cs" }));
    }

    [Test]
    public void PackageReadme_SaysWhenTheSecondThreadExists_WithTheLibrarysOwnThresholds()
    {
        // The package README is where a consumer learns the library may start a thread: its numbers are the code's.
        string readme = Whitespace().Replace(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules", "README.md")), " ");
        string mebibytes = (BulkListReader.DefaultMinimumSplitBytes >> 20).ToString(CultureInfo.InvariantCulture);
        string prefixes = BlockTextWriter.DefaultMinimumParallelBlocks.ToString("N0", CultureInfo.InvariantCulture);
        string idle = SecondThread.IdleTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);

        Assert.That(readme, Does.Contain($"It starts a thread only to read a file of {mebibytes} MiB or more (`PrefixSet.Load`, `Read`) or write {prefixes} prefixes "
            + $"or more to a stream, only when the process can get a second core, and that thread ends {idle} ms after its last work."));
    }

    private static string[] BulkTypeNames() =>
        [.. typeof(PrefixSet).Assembly.GetTypes()
            .Where(t => t.Namespace == BulkNamespace && !t.IsNested && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.Name.Split('`')[0]).Distinct()];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"new Thread\(|ThreadPool\.|Parallel\.(For|ForEach|Invoke)\b|Task\.Factory\.StartNew")]
    private static partial Regex ThreadStart();
}
