using System.Globalization;
using System.Text.RegularExpressions;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// The version a build gets, from version.json (Nerdbank.GitVersioning, Directory.Build.props), in throwaway clones of the
/// repository where the tests commit: exactly the release on the commit that names it, the next prerelease counting the
/// commits after the one that set it, the same with tags or without, a clear fallback without the history, and what
/// <c>-p:Version</c> gives.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class PackageVersionTests
{
    private static readonly string[] Files = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", ".editorconfig", "version.json"];

    private static readonly Dictionary<string, string> Author = new(StringComparer.Ordinal)
    {
        ["GIT_AUTHOR_NAME"] = "test",
        ["GIT_AUTHOR_EMAIL"] = "test@example.invalid",
        ["GIT_COMMITTER_NAME"] = "test",
        ["GIT_COMMITTER_EMAIL"] = "test@example.invalid",
    };

    private string _work = null!;
    private string _clone = null!;

    [OneTimeSetUp]
    public async Task Clone()
    {
        _work = Directory.CreateTempSubdirectory("fwrules-version-").FullName;
        _clone = await CloneAsync("clone", TestData.RepositoryRoot, "--no-tags");
        // This tree's build files, when they hold changes not yet committed, as one commit of the clone (CI's tree holds none).
        if ((await Git(_clone, "status", "--porcelain", "--untracked-files=no")).Length > 0)
        {
            await Git(_clone, "commit", "--quiet", "-am", "this tree's build files");
        }
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_work, recursive: true);

    [Test]
    public async Task Version_CloneWithoutTags_IsChangelogsNewestReleaseOrAPrereleaseAboveIt()
    {
        (int Major, int Minor, int Patch) released = NewestRelease(await File.ReadAllTextAsync(Path.Combine(TestData.RepositoryRoot, "CHANGELOG.md")));
        string named = Named(_clone);

        (string package, _, _) = await VersionAsync(_clone);

        Match version = Regex.Match(package, @"^(\d+)\.(\d+)\.(\d+)(-.+)?$");
        Assert.That(version.Success, Is.True, package);
        (int, int, int) core = (Number(version, 1), Number(version, 2), Number(version, 3));
        if (version.Groups[4].Success)
        {
            Assert.That(Compare(core, released), Is.Positive, $"{package}, a prerelease, sorts above {released}, CHANGELOG.md's newest release");
        }
        else
        {
            Assert.That(core, Is.EqualTo(released), $"{package}, a release, is CHANGELOG.md's newest ({named} in version.json)");
        }
    }

    [Test]
    public async Task Version_ATagOnTheCommit_ChangesNothing()
    {
        (string untagged, _, _) = await VersionAsync(_clone);
        await Git(_clone, "tag", "v9.9.9");
        try
        {
            (string tagged, _, _) = await VersionAsync(_clone);

            Assert.That(tagged, Is.EqualTo(untagged));
        }
        finally
        {
            await Git(_clone, "tag", "-d", "v9.9.9");
        }
    }

    [Test]
    public async Task Version_TheReleaseCommitAndTheCommitsAfterIt_AreTheReleaseThenTheNextPrereleaseCountingThem()
    {
        string head = (await Git(_clone, "rev-parse", "HEAD")).Trim();
        try
        {
            string release = await CommitVersionAsync("7.8.0", "release 7.8.0");
            (string package, string informational, _) = await VersionAsync(_clone);
            await CommitVersionAsync("7.9.0-alpha.{height}", "next: 7.9.0");
            (string next, _, _) = await VersionAsync(_clone);
            await Git(_clone, "commit", "--allow-empty", "--quiet", "-m", "a change");
            await Git(_clone, "commit", "--allow-empty", "--quiet", "-m", "another change");
            (string later, _, _) = await VersionAsync(_clone);

            Assert.That((package, informational), Is.EqualTo(("7.8.0", $"7.8.0+{release}")), "the release commit");
            Assert.That((next, later), Is.EqualTo(("7.9.0-alpha.1", "7.9.0-alpha.3")), "above 7.8.0, below the release to come");
        }
        finally
        {
            await Git(_clone, "reset", "--hard", "--quiet", head);
        }
    }

    [Test]
    public async Task Build_ACommitAfterAReleaseThatStillNamesIt_FailsSayingWhatToDo()
    {
        string head = (await Git(_clone, "rev-parse", "HEAD")).Trim();
        try
        {
            await CommitVersionAsync("7.8.0", "release 7.8.0");
            await Git(_clone, "commit", "--allow-empty", "--quiet", "-m", "a change, version.json not moved on");

            (int exitCode, string output, string error) = await TryVersionAsync(_clone);

            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(output + error, Does.Contain("error FRVERSION002: version.json names the release 7.8.0, which its own commit built; this commit comes 1 after it"));
        }
        finally
        {
            await Git(_clone, "reset", "--hard", "--quiet", head);
        }
    }

    [Test]
    public async Task Version_ShallowCloneOfAPrereleaseCommit_IsItsVersionAtHeightZeroAndSaysWhy()
    {
        // A shallow clone is made from a URL: from a path, git copies the whole history.
        string shallow = await CloneAsync("shallow", new Uri(_clone).AbsoluteUri, "--depth", "3", "--no-tags");
        string expected = Named(shallow).Replace("{height}", "0", StringComparison.Ordinal);

        (string package, string informational, string output) = await VersionAsync(shallow);

        Assert.That((package, informational), Is.EqualTo((expected, expected)), "not a count of the three commits it holds");
        Assert.That(output, Does.Contain(
            $"warning FRVERSION001: a shallow clone: the commits since version.json set the version cannot be counted, so this build is version {expected}"));
    }

    [Test]
    public async Task Version_CopyWithoutGit_IsItsVersionAtHeightZeroAndSaysWhy()
    {
        string copy = Directory.CreateDirectory(Path.Combine(_work, "archive")).FullName;
        foreach (string file in Files.Append(Path.Combine("src", "FirewallRules", "FirewallRules.csproj")))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, file))!);
            File.Copy(Path.Combine(_clone, file), Path.Combine(copy, file));
        }

        (string package, _, string output) = await VersionAsync(copy);

        Assert.That(package, Is.EqualTo(Named(copy).Replace("{height}", "0", StringComparison.Ordinal)));
        Assert.That(output, Does.Contain("warning FRVERSION001: no git history (no .git, or no git)"));
    }

    [Test]
    public async Task PackageVersion_ReleaseVersionGiven_IsThatVersion()
    {
        string version = (await BuildCommand.RunAsync("dotnet", Library(TestData.RepositoryRoot), "msbuild", "-getProperty:PackageVersion", "-p:Version=1.2.3")).Trim();

        Assert.That(version, Is.EqualTo("1.2.3"));
    }

    /// <summary>CHANGELOG.md's newest release: its first <c>## [X.Y.Z] - date</c> heading.</summary>
    internal static (int Major, int Minor, int Patch) NewestRelease(string changelog)
    {
        Match heading = Regex.Match(changelog, @"^## \[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d{2}-\d{2}$", RegexOptions.Multiline);
        Assert.That(heading.Success, Is.True, "a release heading in CHANGELOG.md");
        return (Number(heading, 1), Number(heading, 2), Number(heading, 3));
    }

    private static int Number(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static int Compare((int, int, int) left, (int, int, int) right) => left.CompareTo(right);

    /// <summary>The version version.json names in <paramref name="root"/> (<c>0.3.0-alpha.{height}</c>, or a release).</summary>
    private static string Named(string root)
    {
        using var file = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "version.json")));
        return file.RootElement.GetProperty("version").GetString()!;
    }

    /// <summary>Commits version.json naming <paramref name="version"/>; returns the commit's id.</summary>
    private async Task<string> CommitVersionAsync(string version, string message)
    {
        string path = Path.Combine(_clone, "version.json");
        string text = await File.ReadAllTextAsync(path);
        await File.WriteAllTextAsync(path, Regex.Replace(text, "\"version\": \"[^\"]*\"", $"\"version\": \"{version}\""));
        await Git(_clone, "commit", "--quiet", "-am", message);
        return (await Git(_clone, "rev-parse", "HEAD")).Trim();
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
        (int exitCode, string output, string error) = await TryVersionAsync(root);
        Assert.That(exitCode, Is.Zero, output + error);
        string[] lines = output.Split('\n');
        int json = Array.FindIndex(lines, line => line.StartsWith('{'));
        using var properties = System.Text.Json.JsonDocument.Parse(string.Join('\n', lines[json..]));
        string Property(string name) => properties.RootElement.GetProperty("Properties").GetProperty(name).GetString()!;
        return (Property("PackageVersion"), Property("AssemblyInformationalVersion"), string.Join('\n', lines[..json]) + error);
    }

    private Task<(int ExitCode, string Output, string Error)> TryVersionAsync(string root)
    {
        // No repository above the work folder may stand in for a missing one.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["GIT_CEILING_DIRECTORIES"] = _work };
        return BuildCommand.TryRunAsync("dotnet", Library(root), environment,
            "msbuild", "-restore", "-t:GetBuildVersion", "-getProperty:PackageVersion", "-getProperty:AssemblyInformationalVersion", "-nologo");
    }

    private static Task<string> Git(string directory, params string[] args) => BuildCommand.RunAsync("git", directory, Author, args);
}
