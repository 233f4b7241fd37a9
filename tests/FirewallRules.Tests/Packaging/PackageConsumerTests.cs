using FirewallRules.Tests.Emitters;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Packaging;

/// <summary>
/// How users meet the project: the packed NuGet packages from a local folder feed (the README's pack,
/// <see cref="ReadmePack"/>), not project references. A fresh console project references the library package and runs
/// the documented entry points.
/// </summary>
/// <remarks>
/// Every consumer project (each README block and sample, and the fetching console) is built by one
/// <c>dotnet build -m</c> of a solution holding them all: one restore and one MSBuild for the lot instead of one
/// each. Each test then reads its own project's outcome, so a block that does not compile fails by name.
/// </remarks>
[TestFixture]
[Category("Package")]
public sealed class PackageConsumerTests
{
    /// <summary>Every packable project of the repository, each a package users install.</summary>
    public static readonly string[] Packages = ["FirewallRules", "FirewallRules.Cli", "FirewallRules.Aws", "FirewallRules.IPNetwork2"];

    private PackedFeed _pack = null!;
    private string _version = null!;
    private string _consumers = null!;
    private string _builds = null!;

    [OneTimeSetUp]
    public async Task Pack()
    {
        _pack = await ReadmePack.FeedAsync();
        _version = _pack.VersionOf("FirewallRules");
        _consumers = Directory.CreateDirectory(Path.Combine(_pack.Work, "consumers")).FullName;
        _pack.WriteNuGetConfig(_consumers);
        string[] projects =
        [
            ConsumerProject(FetchingConsumer, FetchingProgram),
            .. DocumentedCode.All().Select(c => ConsumerProject(BlockProject(c.Name), c.Code)),
        ];
        File.WriteAllText(Path.Combine(_consumers, "consumers.slnx"),
            $"<Solution>\n{string.Concat(projects.Select(p => $"  <Project Path=\"{Path.GetRelativePath(_consumers, p)}\" />\n"))}</Solution>\n");
        (_, string output, string error) = await BuildCommand.TryRunAsync(
            "dotnet", _consumers, _pack.Environment, "build", "consumers.slnx", "-c", "Release", "-m", "-tl:off", "-clp:NoSummary");
        _builds = output + error;
    }

    [Test]
    public async Task Library_FromTheLocalFeed_RendersIptablesAndFetchesThroughTheDiClient()
    {
        await using IpRangesServer server = await IpRangesServer.StartAsync(FetchTesting.Document(47));
        string app = Built(FetchingConsumer);

        string output = await BuildCommand.RunAsync("dotnet", app, Program(FetchingConsumer), server.BaseUri.AbsoluteUri);

        Assert.That(output, Does.Contain("# Source: Datadog ip-ranges version 59, modified 2024-10-17T00:00:00Z, site US1 (datadoghq.com)."));
        Assert.That(output, Does.Contain("-A datadog-egress -d 3.233.144.0/20 -p tcp -m tcp --dport 443 "));
        Assert.That(output, Does.Contain("fetched: ip-ranges version 47 (2022-01-25-20-00-00)"));
        Assert.That(server.Hits, Is.EqualTo(1));
    }

    public static IEnumerable<TestCaseData> DocumentedCodeCases() =>
        DocumentedCode.All().Select(c => new TestCaseData(c.Name, c.Code).SetArgDisplayNames(c.Name));

    [TestCaseSource(nameof(DocumentedCodeCases))]
    public async Task DocumentedCode_AsWritten_CompilesAgainstThePackageAndRunsWhenOffline(string name, string code)
    {
        string app = Built(BlockProject(name));

        if (DocumentedCode.RunsOffline(name, code))
        {
            // What the examples read: a document saved earlier and an allow-list.
            File.Copy(TestData.Path_("ip-ranges", "datadoghq.com-v52.json"), Path.Combine(app, "previous.json"));
            File.WriteAllText(Path.Combine(app, "allow.txt"), "192.0.2.0/24\n198.51.100.0/24\n");
            await BuildCommand.RunAsync("dotnet", app, Program(BlockProject(name)));
        }
        else if (DocumentedCode.NeedsAws(code))
        {
            // The AWS example as written, against moto: the SDK finds the endpoint and credentials in the environment.
            string output = await BuildCommand.RunAsync("dotnet", app, MotoServer.Shared.Environment, Program(BlockProject(name)));
            Assert.That(output, Does.Match(@"datadog-logs[^\n]*\(IPv4\): (Created|Modified|Unchanged), \d+ entries, pl-"));
        }
    }

    [Test]
    public void EveryPackage_HasTheReadmeItShips_WithACompilingExample()
    {
        string[] withoutExample = [.. Packages.Where(p => p != "FirewallRules.Cli"
            && !DocumentedCode.All().Any(c => c.Name.StartsWith(Path.Combine("src", p, "README.md") + ":", StringComparison.Ordinal)))];

        Assert.That(withoutExample, Is.Empty, "a library package's README has no ```csharp example");
        Assert.That(Packages.Where(p => !File.Exists(Path.Combine(_pack.Folder, $"{p}.{_version}.nupkg"))), Is.Empty, "a package did not pack");
    }

    private const string FetchingConsumer = "consumer";

    private const string FetchingProgram = """
        using FirewallRules;
        using Microsoft.Extensions.DependencyInjection;

        string script = RuleSet.For(Section.Logs).ToIptables();
        Console.Write(script);

        var services = new ServiceCollection();
        services.AddIpRangesClient();
        using ServiceProvider provider = services.BuildServiceProvider();
        IpRangesClient client = provider.GetRequiredService<IpRangesClient>();
        IpRangesDocument live = await client.GetAsync(Site.Custom(new Uri(args[0])));
        Console.WriteLine($"fetched: {live}");
        """;

    private static string BlockProject(string name) => "doc-" + string.Concat(name.Where(char.IsAsciiLetterOrDigit));

    /// <summary>
    /// The folder of the consumer project <paramref name="name"/>, which the shared build must have built without an
    /// error; otherwise the test fails with that project's errors (or the whole log when the build stopped before it).
    /// </summary>
    private string Built(string name)
    {
        string app = Path.Combine(_consumers, name);
        string[] errors =
        [
            .. _builds.Split('\n')
                .Where(line => line.Contains(": error ", StringComparison.Ordinal) && line.Contains(app + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Distinct()
        ];
        bool built = File.Exists(Program(name));
        Assert.That(errors, Is.Empty, $"{name} does not build against the package");
        Assert.That(built, Is.True, $"{name} was not built:\n{_builds}");
        return app;
    }

    /// <summary>
    /// What the shared build made of the consumer project <paramref name="name"/>, run with <c>dotnet</c> as
    /// <c>dotnet run --no-build</c> would, without evaluating the project again.
    /// </summary>
    private string Program(string name) => Path.Combine(_consumers, name, "bin", "Release", "net10.0", name + ".dll");

    /// <summary>
    /// A console project as <c>dotnet new console</c> makes it (implicit usings, warnings as errors) whose only dependency is the packed library;
    /// the consumers' nuget.config gives the feed, and the environment of the build a NuGet cache of the feed's own.
    /// </summary>
    private string ConsumerProject(string name, string program)
    {
        string app = Directory.CreateDirectory(Path.Combine(_consumers, name)).FullName;
        File.WriteAllText(Path.Combine(app, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="FirewallRules" Version="{_version}" />
            {string.Concat(DocumentedCode.CompanionPackages(program).Select(p => $"    <PackageReference Include=\"{p}\" Version=\"{_version}\" />\n"))}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        return Path.Combine(app, name + ".csproj");
    }
}
