namespace FirewallRules.Tests.Architecture;

/// <summary>
/// ARCHITECTURE.md is the one-page map a newcomer reads in five minutes: it names every folder a contributor meets
/// (under <c>src/</c>, <c>src/FirewallRules/</c> and <c>src/FirewallRules/Emitters/</c>) and stays under 1,000 words.
/// </summary>
[TestFixture]
public class ArchitecturePageTests
{
    private const int MaxWords = 1000;

    private static string Page => File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "ARCHITECTURE.md"));

    [Test]
    public void Page_NamesEveryFolderOfTheSourceTheLibraryAndTheEmitters()
    {
        string page = Page;

        string[] missing = [.. Folders().Where(folder => !page.Contains($"`{folder}/`", StringComparison.Ordinal))];

        Assert.That(missing, Is.Empty, "folders ARCHITECTURE.md does not name (write them as `Name/`)");
    }

    [Test]
    public void Page_IsOnePage()
    {
        int words = Page.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;

        Assert.That(words, Is.LessThanOrEqualTo(MaxWords), "ARCHITECTURE.md is a five-minute read: cut before adding");
    }

    [Test]
    public void Folders_FindsTheProjectsStagesAndTargets()
    {
        // Guards the check above against a listing that silently finds nothing.
        string[] folders = [.. Folders()];

        Assert.That(folders, Does.Contain("FirewallRules.Cli").And.Contain("Cidr").And.Contain("Gcp").And.Contain("Kubernetes"));
        Assert.That(folders, Has.None.EqualTo("bin").And.None.EqualTo("obj"));
        Assert.That(folders, Has.Length.GreaterThanOrEqualTo(25));
    }

    private static IEnumerable<string> Folders()
    {
        string src = Path.Combine(TestData.RepositoryRoot, "src");
        return new[] { src, Path.Combine(src, "FirewallRules"), Path.Combine(src, "FirewallRules", "Emitters") }
            .SelectMany(Directory.EnumerateDirectories)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj"))
            .Distinct();
    }
}
