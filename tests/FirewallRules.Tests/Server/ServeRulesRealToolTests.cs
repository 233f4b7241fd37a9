using System.Net;
using System.Text.RegularExpressions;
using FirewallRules.Emitters.Iptables;
using FirewallRules.Emitters.Nftables;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Server;

/// <summary>
/// The rules URLs the mirror's front page offers for Linux, read from the page, fetched over HTTP from a real
/// <c>fwrules serve</c> on loopback and loaded by the real <c>nft</c>, <c>ipset</c> and <c>iptables-restore</c> in a
/// network namespace made for each test (and deleted after it): the kernel then holds exactly what was served, and what
/// was served is what the library renders from the document the mirror was fed.
/// </summary>
[TestFixture]
[Category("Server")]
[Category("RealTools")]
public sealed partial class ServeRulesRealToolTests
{
    private readonly string _cache = Directory.CreateTempSubdirectory("fwrules-serve-rules-").FullName;
    private IpRangesServer? _upstream;
    private MirrorProcess? _mirror;
    private HttpClient _http = null!;
    private Dictionary<string, Uri> _urls = [];
    private RuleSet _rules = null!;
    private NetworkNamespace? _ns;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public async Task StartTheMirrorAndReadItsFrontPage()
    {
        LinuxTools.Require("ip", "nft", "ipset", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save");
        string document = TestData.IpRangesDocuments[^1];
        _rules = RuleSet.All(IpRangesDocument.Load(document, Site.US1), Direction.Egress);
        _upstream = await IpRangesServer.StartAsync(document);
        _mirror = await MirrorProcess.StartAsync("--site", "us1", "--base-url", _upstream.BaseUri.AbsoluteUri, "--cache", _cache, "--retries", "0");
        _http = MirrorClient.Create(_mirror.BaseUri);
        await MirrorClient.WaitReadyAsync(_http);
        string front = await _http.GetStringAsync(new Uri("/", UriKind.Relative));
        _urls = RulesUrl().Matches(front).ToDictionary(m => m.Groups["format"].Value, m => new Uri(WebUtility.HtmlDecode(m.Groups["url"].Value)), StringComparer.Ordinal);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _http?.Dispose();
        if (_mirror is not null)
        {
            await _mirror.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        Directory.Delete(_cache, recursive: true);
    }

    [SetUp]
    public void CreateNamespace() => _ns = NetworkNamespace.Create();

    [TearDown]
    public void DeleteNamespace()
    {
        string? name = _ns?.Name;
        _ns?.Dispose();
        _ns = null;
        if (name is not null)
        {
            Assert.That(LinuxTools.Run("ip", ["netns", "list"]).Succeeded(), Does.Not.Contain(name), "the namespace is deleted after the test");
        }
    }

    [TestCase("nftables")]
    [TestCase("nftables-strict")]
    public async Task NftablesUrl_Fetched_LoadsWithNftAndTheKernelHoldsTheServedSets(string format)
    {
        string served = await FetchAsync(format);
        NftablesLayout layout = format == "nftables" ? NftablesLayout.OwnTable : NftablesLayout.StrictOwnTable;
        Assert.That(served, Is.EqualTo(_rules.ToNftables(new NftablesEmitterOptions { Layout = layout })), "served as the library renders the fed document");

        Ns.ExecOnFile(served, "nft", "-f").Succeeded();

        Assert.That(Readback.NftSets(Ns, "datadog"), Is.EqualTo(ExpectedSets(family => $"{{0}}-{(family == AddressFamilies.IPv4 ? "v4" : "v6")}", withVersionMark: false)),
            "nft -j list: every set holds the served prefixes");
        Assert.That(Readback.NftChains(Ns, "datadog"), Is.EqualTo(new[] { ("egress", (string?)"output", (string?)"accept") }));
        Assert.That(Ns.Exec("nft", "list", "ruleset").Succeeded(), Does.Contain($"(ip-ranges v{_rules.Provenance.Version})"));
    }

    [TestCase("iptables", "iptables")]
    [TestCase("ip6tables", "ip6tables")]
    public async Task IptablesUrl_Fetched_LoadsWithIptablesRestoreAndSavesBackAsServed(string format, string command)
    {
        string served = await FetchAsync(format);
        Assert.That(served, Is.EqualTo(_rules.Render(new IptablesEmitter(Family(command)))), "served as the library renders the fed document");

        Ns.ExecOnFile(served, $"{command}-restore", "--noflush").Succeeded();

        string[] saved = Readback.SavedRules(Ns.Exec($"{command}-save", "-t", "filter").Succeeded(), "datadog-egress");
        Assert.That(saved, Is.EqualTo(Readback.RenderedRules(served)), $"{command}-save prints back exactly the served rules");
        Assert.That(saved, Has.Length.EqualTo(_rules.Rules.Sum(r => Readback.Expected(r, Family(command)).Length)), "one rule per aggregated prefix of each port");
    }

    [Test]
    public async Task IpsetUrlThenIptablesIpsetUrls_Fetched_LoadTheServedSetsAndTheRulesThatMatchThem()
    {
        string sets = await FetchAsync("ipset");
        Assert.That(sets, Is.EqualTo(_rules.ToIpset(new IptablesEmitterOptions { UseIpset = true })), "served as the library renders the fed document");

        Ns.ExecWithInput(sets, "ipset", "restore").Succeeded();
        Assert.That(Readback.IpsetSets(Ns), Is.EqualTo(ExpectedSets(family => $"datadog-e{{1}}-tcp{(family == AddressFamilies.IPv4 ? '4' : '6')}", withVersionMark: true)),
            "ipset save: every served set, the version mark, no temporary left over");

        foreach (string command in new[] { "iptables", "ip6tables" })
        {
            string rules = await FetchAsync($"{command}-ipset");
            Ns.ExecOnFile(rules, $"{command}-restore", "--noflush").Succeeded();

            Assert.That(Readback.SavedRules(Ns.Exec($"{command}-save", "-t", "filter").Succeeded(), "datadog-egress"), Is.EqualTo(Readback.RenderedRules(rules)),
                $"{command}-save prints back exactly the served rules");
        }
    }

    private async Task<string> FetchAsync(string format)
    {
        Assert.That(_urls, Contains.Key(format), $"the front page offers a {format} URL");
        Uri url = _urls[format];
        Assert.That(url.AbsoluteUri, Is.EqualTo(new Uri(_mirror!.BaseUri, $"v1/us1/rules/{format}").AbsoluteUri));
        using HttpResponseMessage response = await _http.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{url}: {body}");
        return body;
    }

    // The set of each rule and family: {0} is the rule's name, {1} its first port.
    private Dictionary<string, string[]> ExpectedSets(Func<AddressFamilies, string> pattern, bool withVersionMark)
    {
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (FirewallRule rule in _rules.Rules)
        {
            foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
            {
                string[] prefixes = Readback.Expected(rule, family);
                if (prefixes.Length > 0)
                {
                    expected[string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern(family), rule.Name, rule.Port.First)] = prefixes;
                }
            }
        }

        if (withVersionMark)
        {
            expected["datadog-version"] = [$"0.0.0.{_rules.Provenance.Version}/32"]; // the version mark (versions below 256 here)
        }

        return expected;
    }

    private static AddressFamilies Family(string command) => command == "iptables" ? AddressFamilies.IPv4 : AddressFamilies.IPv6;

    [GeneratedRegex("""id="r-us1-(?<format>[a-z0-9-]+)" type="text" readonly value="(?<url>[^"]+)""")]
    private static partial Regex RulesUrl();
}
