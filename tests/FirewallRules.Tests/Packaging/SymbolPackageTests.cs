using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// Symbols that lead to the source: each PDB of a symbol package maps the files git tracks to the commit they were
/// built from on GitHub (SourceLink) and holds the others itself, and neither a PDB nor an assembly names the machine
/// that built it.
/// </summary>
[TestFixture]
[Category("Package")]
public sealed class SymbolPackageTests
{
    private static readonly Guid SourceLink = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private PackedFeed _pack = null!;
    private string _commit = null!;
    private HashSet<string> _tracked = null!;

    [OneTimeSetUp]
    public async Task Pack()
    {
        _pack = await ReadmePack.FeedAsync();
        _commit = (await BuildCommand.RunAsync("git", TestData.RepositoryRoot, "rev-parse", "HEAD")).Trim();
        _tracked = [.. (await BuildCommand.RunAsync("git", TestData.RepositoryRoot, "ls-files")).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [TestCaseSource(typeof(PackageConsumerTests), nameof(PackageConsumerTests.Packages))]
    public void SymbolPackage_EveryPdb_LeadsToTheSourceAtTheCommitBuilt(string package)
    {
        using ZipArchive symbols = ZipFile.OpenRead(Path.Combine(_pack.Folder, $"{package}.{_pack.VersionOf(package)}.snupkg"));
        ZipArchiveEntry[] pdbs = [.. symbols.Entries.Where(entry => entry.FullName.EndsWith(".pdb", StringComparison.Ordinal))];

        Assert.That(pdbs, Is.Not.Empty);
        foreach (ZipArchiveEntry entry in pdbs)
        {
            using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(Copy(entry));
            MetadataReader pdb = provider.GetMetadataReader();
            Dictionary<string, string> map = JsonDocument.Parse(Blob(pdb, EntityHandle.ModuleDefinition, SourceLink) ?? "{}").RootElement
                .GetProperty("documents").EnumerateObject().ToDictionary(document => document.Name, document => document.Value.GetString()!);
            (string Name, bool Embedded)[] documents = [.. pdb.Documents.Select(handle =>
                (pdb.GetString(pdb.GetDocument(handle).Name), Blob(pdb, handle, EmbeddedSource) is not null))];

            Assert.That(map, Is.EqualTo(new Dictionary<string, string> { ["/_/*"] = $"https://raw.githubusercontent.com/firewallrules/FirewallRules/{_commit}/*" }),
                $"{entry.FullName}: SourceLink");
            Assert.That(documents.Where(document => !document.Name.StartsWith("/_/", StringComparison.Ordinal)), Is.Empty, $"{entry.FullName}: a path of this machine");
            Assert.That(documents.Where(document => !document.Embedded && !_tracked.Contains(document.Name[3..])), Is.Empty,
                $"{entry.FullName}: a file git does not track, which SourceLink cannot fetch, is not in the PDB");
        }
    }

    [TestCaseSource(typeof(PackageConsumerTests), nameof(PackageConsumerTests.Packages))]
    public void Package_EveryAssemblyOfOurs_NamesItsPdbByTheRepositorysPath(string package)
    {
        using ZipArchive archive = ZipFile.OpenRead(Path.Combine(_pack.Folder, $"{package}.{_pack.VersionOf(package)}.nupkg"));
        string[] ours = [.. archive.Entries.Where(entry => entry.Name.EndsWith(".dll", StringComparison.Ordinal)
            && (entry.Name.StartsWith("FirewallRules", StringComparison.Ordinal) || entry.Name == "fwrules.dll"))
            .Select(entry =>
            {
                using var assembly = new PEReader(Copy(entry));
                DebugDirectoryEntry codeView = assembly.ReadDebugDirectory().Single(debug => debug.Type == DebugDirectoryEntryType.CodeView);
                return $"{entry.Name}: {assembly.ReadCodeViewDebugDirectoryData(codeView).Path}";
            })];

        Assert.That(ours, Is.Not.Empty);
        Assert.That(ours, Is.All.Match(@"^\S+\.dll: /_/src/[^ ]+/obj/Release/net10\.0/\S+\.pdb$"));
    }

    private static MemoryStream Copy(ZipArchiveEntry entry)
    {
        var copy = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }

    /// <summary>The custom debug information of <paramref name="kind"/> on <paramref name="parent"/> (SourceLink's JSON as text), or null.</summary>
    private static string? Blob(MetadataReader pdb, EntityHandle parent, Guid kind) => pdb.GetCustomDebugInformation(parent)
        .Select(handle => pdb.GetCustomDebugInformation(handle))
        .Where(information => pdb.GetGuid(information.Kind) == kind)
        .Select(information => System.Text.Encoding.UTF8.GetString(pdb.GetBlobBytes(information.Value)))
        .SingleOrDefault();
}
