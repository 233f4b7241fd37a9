using System.Globalization;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// The version a build gets, from git (MinVer, Directory.Build.props), in throwaway clones of the repository where the
/// tests tag and commit: exactly the tag on a tagged commit, the next release's prerelease counting the commits after
/// one, a clear fallback without the history, and what <c>-p:Version</c> gives.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class PackageVersionTests
{
    private static readonly string[] Files = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", ".editorconfig"];

    private static readonly Dictionary<string, string> Author = new(StringComparer.Ordinal)
    {
        ["GIT_AUTHOR_NAME"] = "test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.invalid",
        ["GIT_COMMITTER_NAME"] = "test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.invalid",
    };

    private string _work = null!;
    private string _clone = null!;
    private string _minimum = null!;

    [OneTimeSetUp]
    public async Task Clone()
    {
        _work = Directory.CreateTempSubdirectory("fwrules-version-").FullName;
        _clone = await CloneAsync("clone", TestData.RepositoryRoot, "--no-tags");
        _minimum = (await BuildCommand.RunAsync("dotnet", Library(_clone), "msbuild", "-getProperty:MinVerMinimumMajorMinor")).Trim();
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Version_OnACommitTaggedWithIt_IsExactlyTheTag()
    {
        await Git(_clone, "tag", $"v{_minimum}.0");
        try
        {
            (string package, string informational, _) = await VersionAsync(_clone);

            Assert.That((package, informational), Is.EqualTo(($"{_minimum}.0", $"{_minimum}.0")));
        }
        finally
        {
            await Git(_clone, "tag", "-d", $"v{_minimum}.0");
        }
    }

    [TestCase("v0.1.0", "0.2.0-alpha.0.3")]
    [TestCase("v0.2.0", "0.3.0-alpha.0.3")]
    public async Task Version_ThreeCommitsAfterARelease_IsTheNextMinorReleasesPrereleaseCountingThem(string tag, string expected)
    {
        string head = (await Git(_clone, "rev-parse", "HEAD")).Trim();
        await Git(_clone, "tag", tag);
        try
        {
            for (int i = 0; i < 3; i++)
            {
                await Git(_clone, "commit", "--allow-empty", "--quiet", "-m", "after the release");
            }

            (string package, _, _) = await VersionAsync(_clone);

            Assert.That(package, Is.EqualTo(expected), $"above {tag[1..]}, below the release to come");
        }
        finally
        {
            await Git(_clone, "reset", "--soft", "--quiet", head);
            await Git(_clone, "tag", "-d", tag);
        }
    }

    [Test]
    public async Task Version_NoVersionTagInTheHistory_IsTheFloorsPrereleaseCountingEveryCommit()
    {
        string height = (await Git(_clone, "rev-list", "--count", "--first-parent", "HEAD")).Trim();

        (string package, _, string output) = await VersionAsync(_clone);

        Assert.That(package, Does.Match($@"^{Regex.Escape(_minimum)}\.0-alpha\.0\.[1-9][0-9]*$"), "above 0.1.0 before it is tagged");
        Assert.That(int.Parse(package.Split('.')[^1], CultureInfo.InvariantCulture), Is.InRange(1, int.Parse(height, CultureInfo.InvariantCulture)));
        Assert.That(output, Does.Not.Contain("FRVERSION001"));
    }

    [Test]
    public async Task Version_ShallowCloneOfAnUntaggedCommit_IsTheMinimumAndSaysWhy()
    {
        // A shallow clone is made from a URL: from a path, git copies the whole history.
        string shallow = await CloneAsync("shallow", new Uri(TestData.RepositoryRoot).AbsoluteUri, "--depth", "3", "--no-tags");

        (string package, string informational, string output) = await VersionAsync(shallow);

        Assert.That((package, informational), Is.EqualTo(($"{_minimum}.0-alpha.0", $"{_minimum}.0-alpha.0")), "not a count of the three commits it holds");
        Assert.That(output, Does.Contain(
            $"warning FRVERSION001: a shallow clone: the commits since the last release tag cannot be counted, so this build is version {_minimum}.0-alpha.0"));
    }

    [Test]
    public async Task Version_CopyWithoutGit_IsTheMinimumAndSaysWhy()
    {
        string copy = Directory.CreateDirectory(Path.Combine(_work, "archive")).FullName;
        foreach (string file in Files.Append(Path.Combine("src", "FirewallRules", "FirewallRules.csproj")))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, file))!);
            File.Copy(Path.Combine(_clone, file), Path.Combine(copy, file));
        }

        (string package, _, string output) = await VersionAsync(copy);

        Assert.That(package, Is.EqualTo($"{_minimum}.0-alpha.0"));
        Assert.That(output, Does.Contain("warning FRVERSION001: no git history (no .git, or no git)").And.Not.Contain("MINVER1001"));
    }

    [Test]
    public async Task PackageVersion_ReleaseVersionGiven_IsThatVersion()
    {
        string version = (await BuildCommand.RunAsync("dotnet", Library(TestData.RepositoryRoot), "msbuild", "-getProperty:PackageVersion", "-p:Version=1.2.3")).Trim();

        Assert.That(version, Is.EqualTo("1.2.3"));
    }

    private static string Library(string root) => Path.Combine(root, "src", "FirewallRules");

    /// <summary>
    /// A clone of this repository's commit holding only what the library's project needs to be evaluated, with this
    /// tree's build files (which may hold changes not yet committed).
    /// </summary>
    private async Task<string> CloneAsync(string name, string source, params string[] options)
    {
        string clone = Path.Combine(_work, name);
        await Git(_work, ["clone", "--quiet", "--no-checkout", .. options, source, clone]);
        await Git(clone, ["sparse-checkout", "set", "--no-cone", .. Files.Select(file => "/" + file), "/src/FirewallRules/FirewallRules.csproj"]);
        await Git(clone, "checkout", "--quiet");
        foreach (string file in Files)
        {
            File.Copy(Path.Combine(TestData.RepositoryRoot, file), Path.Combine(clone, file), overwrite: true);
        }

        return clone;
    }

    /// <summary>The package and informational versions the library's project gets in <paramref name="root"/>, and what the build printed.</summary>
    private async Task<(string Package, string Informational, string Output)> VersionAsync(string root)
    {
        // No repository above the work folder may stand in for a missing one.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["GIT_CEILING_DIRECTORIES"] = _work };
        (int exitCode, string output, string error) = await BuildCommand.TryRunAsync("dotnet", Library(root), environment,
            "msbuild", "-restore", "-t:MinVer", "-getProperty:PackageVersion", "-getProperty:InformationalVersion", "-nologo");
        Assert.That(exitCode, Is.Zero, output + error);
        string[] lines = output.Split('\n');
        int json = Array.FindIndex(lines, line => line.StartsWith('{'));
        using var properties = System.Text.Json.JsonDocument.Parse(string.Join('\n', lines[json..]));
        string Property(string name) => properties.RootElement.GetProperty("Properties").GetProperty(name).GetString()!;
        return (Property("PackageVersion"), Property("InformationalVersion"), string.Join('\n', lines[..json]) + error);
    }

    private static Task<string> Git(string directory, params string[] args) => BuildCommand.RunAsync("git", directory, Author, args);
}
