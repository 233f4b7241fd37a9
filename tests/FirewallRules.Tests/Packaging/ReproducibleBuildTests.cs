using System.IO.Compression;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// Two clean builds in two folders make the same bytes: every DLL of every package of the README's pack (the repository's
/// own build) equals the one a second clean build makes in a clone of the same commit elsewhere. The second build builds
/// the packages' projects only, without the analyzers (which report but never change what is compiled), which is most of
/// the cost saved; a package's DLLs are its project's build output (the tool's are its publish, copies of the same files).
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class ReproducibleBuildTests
{
    private static readonly string[] Projects = ["FirewallRules.Cli", "FirewallRules.Aws", "FirewallRules.IPNetwork2"];

    private PackedFeed _pack = null!;
    private string _clone = null!;

    [OneTimeSetUp]
    public async Task BuildAgainElsewhere()
    {
        _pack = await ReadmePack.FeedAsync();
        _clone = Directory.CreateTempSubdirectory("fwrules-reproducible-").FullName;
        await CloneWithChangesAsync(TestData.RepositoryRoot, _clone);
        foreach (string project in Projects)
        {
            await BuildCommand.RunAsync("dotnet", _clone, "build", Path.Combine("src", project), "-c", "Release",
                "-p:RunAnalyzers=false", "-nodeReuse:false", "-tl:off", "-nologo", "-v:q");
        }
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_clone, recursive: true);

    [TestCaseSource(typeof(PackageConsumerTests), nameof(PackageConsumerTests.Packages))]
    public void EveryDllOfThePackage_IsTheSecondBuildsByteForByte(string package)
    {
        string output = Path.Combine(_clone, "src", package, "bin", "Release", "net10.0");
        using ZipArchive archive = ZipFile.OpenRead(Path.Combine(_pack.Folder, $"{package}.{_pack.VersionOf(package)}.nupkg"));
        ZipArchiveEntry[] dlls = [.. archive.Entries.Where(entry => entry.FullName.EndsWith(".dll", StringComparison.Ordinal))];

        string[] different = [.. dlls.Where(entry => !SameBytes(entry, Path.Combine(output, InOutput(entry.FullName)))).Select(entry => entry.FullName)];

        Assert.That(dlls, Is.Not.Empty);
        Assert.That(different, Is.Empty, $"DLLs of {package} that differ from (or are missing in) the second build's {output}");
    }

    /// <summary>A clone of <paramref name="repository"/>'s commit in <paramref name="clone"/>, with the files changed and not yet committed copied in.</summary>
    internal static async Task CloneWithChangesAsync(string repository, string clone)
    {
        await BuildCommand.RunAsync("git", repository, "clone", "--quiet", "--no-tags", repository, clone);
        string changed = await BuildCommand.RunAsync("git", repository, "ls-files", "--modified", "--deleted", "--others", "--exclude-standard");
        foreach (string file in changed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct())
        {
            string source = Path.Combine(repository, file);
            if (File.Exists(source))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(clone, file))!);
                File.Copy(source, Path.Combine(clone, file), overwrite: true);
            }
            else
            {
                File.Delete(Path.Combine(clone, file)); // deleted, not yet committed
            }
        }
    }

    /// <summary>Where a package's file is in its project's output: <c>lib/net10.0/X.dll</c> and <c>tools/net10.0/any/X.dll</c> are <c>X.dll</c>.</summary>
    private static string InOutput(string packaged)
    {
        string relative = packaged[(packaged.IndexOf("net10.0/", StringComparison.Ordinal) + "net10.0/".Length)..];
        return relative.StartsWith("any/", StringComparison.Ordinal) ? relative["any/".Length..] : relative;
    }

    private static bool SameBytes(ZipArchiveEntry entry, string file)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        using var packed = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(packed);
        }

        return packed.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(file));
    }
}
