using System.Text.RegularExpressions;
using FirewallRules.Intakes;

namespace FirewallRules.Tests.Architecture;

/// <summary>
/// Every Datadog host and intake port lives in one file, <c>src/FirewallRules/Intakes/IntakeCatalog.cs</c>: a host name written
/// anywhere else in the sources (as text, or a prefix put before a domain) or an intake port as a number fails here, so a new
/// destination is one row there and the planners, allow-lists and <c>fwrules verify</c> cannot disagree on it.
/// </summary>
[TestFixture]
public partial class IntakeCatalogTests
{
    private const string Catalogue = "src/FirewallRules/Intakes/IntakeCatalog.cs";
    private const string ListenerCatalogue = "src/FirewallRules/Intakes/ListenerCatalog.cs";

    // Files that name a Datadog host for another reason, each with it.
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["src/FirewallRules/Ranges/Site.cs"] = "a site is named by its domain, its web host (app.) and the host of its ip-ranges feed: the feed, not an agent destination",
    };

    [Test]
    public void Sources_NameNoDatadogHostOrIntakePortOutsideTheCatalogue()
    {
        string[] found = Scan(file => file != Catalogue && !Allowed.ContainsKey(file), Findings);

        Assert.That(found, Is.Empty, $"a Datadog host or intake port outside {Catalogue}: name the catalogue's row instead (IntakeCatalog.X.Host(site))");
    }

    [TestCase("string host = $\"agent-intake.logs.{site.Domain}\";")]
    [TestCase("string host = \"trace.agent.\" + domain;")]
    [TestCase("const string Us1 = \"agent-443-intake.logs.datadoghq.com\";")]
    [TestCase("notes.Add($\"The agent also queries api.{Domain} (443/tcp)\");")]
    [TestCase("string host = $\"{defaults.Label}-app.agent.{Domain}\";")]
    [TestCase("Main = \"new-feature-intake.\", Pipeline = \"x.\"")]
    [TestCase("int port = settings.Port(\"logs_config.dd_port\", 10516, 1);")]
    [TestCase("new(\"remote-configuration\", \"config.\", 8042, null)")]
    [TestCase("[\"install.datadoghq.com\", \"yum.datadoghq.com\"]")]
    public void Findings_CatchEveryFormAHostOrPortTakes(string line)
    {
        Assert.That(Findings(line), Is.Not.Empty);
    }

    [TestCase("[\"agent.datadoghq.com/component\"] = \"agent\"")]
    [TestCase("settings.Text(\"logs_config.logs_dd_url\")")]
    [TestCase("settings.Bool(\"compliance_config.enabled\", false)")]
    [TestCase("/// <c>trace.agent.&lt;domain&gt;</c> on 10516/tcp")]
    [TestCase("string host = IntakeCatalog.Traces.Host(site); // trace.agent.<site>, 8042")]
    public void Findings_LeaveKeysLabelsAndCommentsAlone(string line)
    {
        Assert.That(Findings(line), Is.Empty);
    }

    [Test]
    public void Library_NamesNoAgentListenerPortOutsideTheCatalogue()
    {
        string[] found = Scan(file => file.StartsWith("src/FirewallRules/", StringComparison.Ordinal) && file != ListenerCatalogue, ListenerFindings);

        Assert.That(found, Is.Empty, $"an agent listener's port outside {ListenerCatalogue}: name the catalogue's row instead (ListenerCatalog.X.Port)");
    }

    [TestCase("Add(\"apm-debug\", Tcp(5012), \"127.0.0.1\", \"trace agent debug server\", \"apm_config.debug.port\");")]
    [TestCase("int port = settings.Port(\"expvar_port\", 5000, 1);")]
    [TestCase("new[] { (\"grpc\", \"0.0.0.0:4317\") }")]
    [TestCase("return \"4317/tcp and 4318/tcp\";")]
    [TestCase("[\"ipfix\"] = 4739,")]
    public void ListenerFindings_CatchAListenerPortAsAPort(string line)
    {
        Assert.That(ListenerFindings(line), Is.Not.Empty);
    }

    [TestCase("new(AgentKind.Datakit, \"statsd\", Udp(8125), PortRole.LocalListener, \"StatsD\"),")]
    [TestCase("private static readonly int[] CapacitySteps = [100, 200, 500, 1000, 2000, 5000, 10_000];")]
    [TestCase("int port = settings.Port(ListenerCatalog.Ipc.PortKey, ListenerCatalog.Ipc.Port, 1);")]
    public void ListenerFindings_LeaveOtherAgentsAndOtherNumbersAlone(string line)
    {
        Assert.That(ListenerFindings(line), Is.Empty);
    }

    // Each finding in the source files <paramref name="scanned"/> takes, as "file: finding".
    private static string[] Scan(Func<string, bool> scanned, Func<string, IEnumerable<string>> findings) =>
        [.. SourceCode.Files().Where(scanned).SelectMany(file => findings(SourceCode.Read(file)).Select(f => $"{file}: {f}"))];

    // A listener's default port where a port is written: Tcp(5012), Udp(8125), settings.Port("key", 5000, ...), HOST:4317,
    // 4317/tcp, ["ipfix"] = 4739. Lines of another agent's catalogue (Agent 5, Datakit) keep their own documented ports.
    private static IEnumerable<string> ListenerFindings(string code)
    {
        string ports = string.Join('|', ListenerCatalog.All.Select(l => l.Port).Where(p => p > 0).Distinct());
        var form = new Regex($@"(?:(?:Tcp|Udp)\(|Port\(""[^""]+"", |:|\] = )(?:{ports})(?!\d)|(?<![\w.])(?:{ports})/(?:tcp|udp)");
        return Code(code).Split('\n').Where(line => !line.Contains("AgentKind.Datakit", StringComparison.Ordinal)
                && !line.Contains("AgentKind.DatadogAgentV5", StringComparison.Ordinal))
            .SelectMany(line => form.Matches(line).Select(m => m.Value)).Distinct();
    }

    [Test]
    public void NetworkPage_EveryAgentHostIsARow()
    {
        string[] hosts = [.. IntakeCatalog.All.Select(i => i.Host(i.Versioned ? "<VERSION>" : string.Empty, "<domain>"))
            .Concat(IntakeCatalog.InstallationHosts)];
        string[] page = [.. File.ReadLines(TestData.Path_("agent", "network-page.tsv"))
            .Where(line => !line.StartsWith('#') && line.Split('\t') is [("host" or "install"), ..])
            .Select(line => line.Split('\t')[1])];

        Assert.That(page, Is.Not.Empty);
        Assert.That(page.Except(hosts), Is.Empty, "a host of Datadog's network page is not in the catalogue");
    }

    [Test]
    public void Rows_EachNameItsSourceAndAreDistinct()
    {
        Assert.That(IntakeCatalog.All.Select(i => i.Source), Has.All.Match(@"network page \(docs\.datadoghq\.com|data/privatelink\.json|agent source: [a-z]+/"));
        Assert.That(IntakeCatalog.All.Select(i => (i.Prefix, i.Port)), Is.Unique);
        Assert.That(ListenerCatalog.All.Select(l => l.Source), Has.All.StartWith("agent source: "));
        Assert.That(ListenerCatalog.All.Select(l => l.Feature), Is.Unique);
        Assert.That(ListenerCatalog.All.Where(l => l.Port > 0).Select(l => l.ToString()), Is.Unique);
    }

    private static IEnumerable<string> Findings(string code)
    {
        string text = Code(code);
        string domains = string.Join('|', Site.All.Select(s => Regex.Escape(s.Domain)).OrderByDescending(d => d.Length));
        string prefixes = string.Join('|', IntakeCatalog.All.Where(i => !i.Versioned).Select(i => Regex.Escape(i.Prefix)).Distinct());
        string versioned = string.Join('|', IntakeCatalog.All.Where(i => i.Versioned).Select(i => Regex.Escape(i.Prefix)));
        string ports = string.Join('|', IntakeCatalog.All.Select(i => i.Port).Where(p => p != 443).Distinct());
        Regex[] forms =
        [
            // A host at a Datadog domain, written out (not a label key such as agent.datadoghq.com/component).
            new($@"(?<![\w-])[a-z0-9*-]+\.(?:[a-z0-9-]+\.)*?(?:{domains})(?![\w.-]|/)", RegexOptions.IgnoreCase),
            // A catalogue prefix put before a domain: "api." + domain, $"config.{Domain}", "trace.agent.datadoghq.eu".
            new($@"(?<![\w.-])(?:{prefixes})(?=\{{|""\s*\+|{domains})"),
            new($@"(?:{versioned})(?=\{{|""|{domains})"),
            // Any other intake's prefix: "new-feature-intake." before a domain, or as a value.
            new(@"(?<![\w.-])[a-z0-9-]*intake[a-z0-9.-]*\.(?=\{|"")"),
            new($@"(?<![\w.])(?:{ports})(?![\w.])"),
        ];
        return forms.SelectMany(form => form.Matches(text).Select(m => m.Value)).Distinct();
    }

    // The code without its comments: whole comment lines, and a comment after code when no quote follows it.
    private static string Code(string code) => string.Join('\n', code.Split('\n')
        .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
        .Select(line => TrailingComment().Replace(line, string.Empty)));

    [GeneratedRegex(@"\s//[^""]*$")]
    private static partial Regex TrailingComment();
}
