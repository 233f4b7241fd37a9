using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Every comment, doc and script says why in words a reader of this repository can follow: none points at a tracker
/// entry by number ("issue 32") or at a file outside the repository (a design note or a folder beside the clone).
/// Another project's issue named with its project (<c>PowerShell issue 4568</c>, <c>DataDog/documentation PR #37760</c>)
/// is a source anyone can open, and stays.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed partial class CitationTests
{
    // The project's own writing; the vendored schemas and recorded documents under data/ are others' bytes.
    private static readonly string[] Scanned =
    [
        "src/", "tests/", "samples/", "deploy/", "benchmarks/", "docs/", ".ci/", "data/PROVENANCE.md", "data/validators/README.md", "ARCHITECTURE.md", "README.md"
    ];

    [Test]
    public void NoTrackedTextFile_CitesAnIssueNumberOrAFileOutsideTheRepository()
    {
        string[] citations = [.. TrackedFiles()
            .Where(file => Scanned.Any(scope => file.StartsWith(scope, StringComparison.Ordinal) || file == scope))
            .Where(file => file != "tests/FirewallRules.Tests/Architecture/CitationTests.cs")
            .SelectMany(file => Citations(file, File.ReadAllText(Path.Combine(TestData.RepositoryRoot, file))))];

        Assert.That(citations, Is.Empty, "cite the reason in words, or copy the file into the repository with its provenance");
    }

    [TestCase("a second thread (issue 32) helps", true)]
    [TestCase("Issue 11, finding 7: what reading allocates", true)]
    [TestCase("the flow's direction (DESIGN.md)", true)]
    [TestCase("the schemas in ../shared/validators", true)]
    [TestCase("the preference variables (PowerShell issue 4568)", false)]
    [TestCase("DataDog/documentation PR #37760 adds 8042", false)]
    [TestCase("firehol/blocklist-ipsets issues #18 and #53", false)]
    [TestCase("the tissue 3 of a sample", false)]
    [TestCase("this session's issue 16 work", true)]
    [TestCase("Issue 32's target 1 against this run", true)]
    public void Citations_FindsOwnIssueNumbersAndOutsideFiles_NotOtherProjectsIssues(string line, bool cited)
    {
        Assert.That(Citations("x.cs", line).Any(), Is.EqualTo(cited));
    }

    private static IEnumerable<string> Citations(string file, string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            foreach (Match match in Citation().Matches(lines[i]))
            {
                yield return $"{file}:{i + 1}: {match.Value.Trim()}";
            }
        }
    }

    private static IEnumerable<string> TrackedFiles()
    {
        var start = new ProcessStartInfo("git", ["-C", TestData.RepositoryRoot, "ls-files", "-z"]) { RedirectStandardOutput = true };
        using Process git = Process.Start(start)!;
        string listing = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.That(git.ExitCode, Is.EqualTo(0), "git ls-files failed");
        string[] files = listing.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(files, Has.Length.GreaterThan(100), "git ls-files listed almost nothing");
        return files.Where(f => Path.GetExtension(f)
            is ".cs" or ".md" or ".sh" or ".py" or ".js" or ".mjs" or ".csproj" or ".props" or ".targets" or ".yml" or ".yaml" or ".service" or ".timer" or ".txt" or "");
    }

    // "issue 32" not preceded by a project's name (a capitalised word, "PowerShell issue", or owner/repository), a
    // design note, or the folder beside the clone.
    [GeneratedRegex(@"(?<!(\b[A-Z][A-Za-z]+|[\w.-]+/[\w.-]+) )\b[Ii]ssues? #?\d+|\bDESIGN\.md\b|\.\./shared\b|\bshared/(data|validators|seeds|research)\b")]
    private static partial Regex Citation();
}
