using System.Text.RegularExpressions;

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

    private static string[] BulkTypeNames() =>
        [.. typeof(PrefixSet).Assembly.GetTypes()
            .Where(t => t.Namespace == BulkNamespace && !t.IsNested && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.Name.Split('`')[0]).Distinct()];

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"new Thread\(|ThreadPool\.|Parallel\.(For|ForEach|Invoke)\b|Task\.Factory\.StartNew")]
    private static partial Regex ThreadStart();
}
