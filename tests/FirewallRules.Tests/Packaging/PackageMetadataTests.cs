using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FirewallRules.Tests.Packaging;

/// <summary>What a package says of itself on a feed: its dependencies, icon, links and description, and the tool's exit codes.</summary>
[TestFixture]
[Category("Package")]
public sealed class PackageMetadataTests
{
    private PackedFeed _pack = null!;

    [OneTimeSetUp]
    public async Task Pack() => _pack = await ReadmePack.FeedAsync();

    [TestCase("FirewallRules.Aws", "AWSSDK.EC2")]
    [TestCase("FirewallRules.IPNetwork2", "IPNetwork2")]
    public void Companion_DependsOnTheCoreOfItsPackAndItsOwnLibraryOnly(string package, string library)
    {
        Dictionary<string, string> dependencies = Metadata(package).Descendants().Where(element => element.Name.LocalName == "dependency")
            .ToDictionary(dependency => (string)dependency.Attribute("id")!, dependency => (string)dependency.Attribute("version")!);

        Assert.That(dependencies.Keys, Is.EquivalentTo(new[] { "FirewallRules", library }), "the core's own dependencies come with the core");
        Assert.That(dependencies["FirewallRules"], Is.EqualTo(_pack.VersionOf("FirewallRules")),
            "from the core of the same pack on: a minimum, not an exact pin (the core grants the package no internals)");
    }

    [TestCaseSource(typeof(PackageConsumerTests), nameof(PackageConsumerTests.Packages))]
    public async Task Package_ShowsTheIconAndLeadsToTheDocumentationAndTheCommit(string package)
    {
        string commit = (await BuildCommand.RunAsync("git", TestData.RepositoryRoot, "rev-parse", "HEAD")).Trim();
        using ZipArchive archive = Open(package);
        XElement metadata = Metadata(archive);
        using var icon = new BinaryReader(archive.GetEntry("icon.png")!.Open());

        Assert.That((string?)Element(metadata, "icon"), Is.EqualTo("icon.png"));
        Assert.That(icon.ReadBytes(8), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
        Assert.That((string?)Element(metadata, "projectUrl"), Is.EqualTo("https://firewallrules.github.io/FirewallRules/"), "the docs site's page, not a Markdown file");
        Assert.That((string?)Element(metadata, "repository")?.Attribute("commit"), Is.EqualTo(commit));
    }

    [TestCase("FirewallRules")]
    [TestCase("FirewallRules.Cli")]
    public void Description_NamesEveryFamilyOfTargets(string package)
    {
        string description = (string)Element(Metadata(package), "description")!;

        Assert.That(description, Does.Contain("iptables").And.Contain("nftables").And.Contain("Windows Firewall").And.Contain("AWS")
            .And.Contain("Azure").And.Contain("Kubernetes").And.Contain("Google Cloud (GCP)"));
    }

    [Test]
    public void ToolReadme_ListsEveryExitCode()
    {
        string readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "src", "FirewallRules.Cli", "README.md"));
        string listed = readme[readme.IndexOf("Exit codes:", StringComparison.Ordinal)..].Split("\n\n")[0];
        int[] codes = [.. Type.GetType("FirewallRules.Cli.ExitCode, fwrules", throwOnError: true)!
            .GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (int)field.GetRawConstantValue()!).Distinct()];

        Assert.That(codes, Has.Length.GreaterThan(5));
        Assert.That(codes.Where(code => !Regex.IsMatch(listed, $@"(?<![\d.]){code}(?![\d.])")), Is.Empty, "an exit code the package's README does not list");
    }

    private static XElement? Element(XElement parent, string name) => parent.Elements().SingleOrDefault(element => element.Name.LocalName == name);

    private ZipArchive Open(string package) => ZipFile.OpenRead(Path.Combine(_pack.Folder, $"{package}.{_pack.VersionOf(package)}.nupkg"));

    private XElement Metadata(string package)
    {
        using ZipArchive archive = Open(package);
        return Metadata(archive);
    }

    private static XElement Metadata(ZipArchive archive)
    {
        using Stream nuspec = archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return Element(XDocument.Load(nuspec).Root!, "metadata")!;
    }
}
