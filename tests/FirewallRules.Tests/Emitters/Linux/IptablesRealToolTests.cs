using FirewallRules.Emitters.Iptables;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// The iptables, ip6tables, ipset and script outputs through the real tools, with both iptables backends
/// named explicitly (<c>iptables-nft-*</c> and <c>iptables-legacy-*</c>, whatever the system's default is):
/// dry run (<c>--test</c>), load into a throwaway namespace, read back with <c>*-save</c> / <c>ipset save</c>
/// and compare with the rendered rules and the aggregated prefixes, for every real document and direction.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class IptablesRealToolTests
{
    private static readonly string[] Backends = ["nft", "legacy"];
    private NetworkNamespace? _ns;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    public static IEnumerable<TestCaseData> DocumentsDirectionsAndBackends() =>
        from path in TestData.IpRangesDocuments
        from direction in new[] { Direction.Egress, Direction.Ingress }
        from backend in Backends
        select new TestCaseData(Path.GetFileName(path), direction, backend);

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require(
        [
            "ip", "ipset", "sh", "iptables", "ip6tables", "iptables-save", "ip6tables-save",
            .. Backends.SelectMany(b => new[] { $"iptables-{b}-restore", $"iptables-{b}-save", $"ip6tables-{b}-restore", $"ip6tables-{b}-save" }),
        ]);
        _ns = NetworkNamespace.Create();
    }

    [OneTimeTearDown]
    public void DeleteNamespace() => _ns?.Dispose();

    [SetUp]
    public void EmptyFirewall()
    {
        foreach (string command in Backends.SelectMany(b => new[] { $"iptables-{b}", $"ip6tables-{b}" }))
        {
            Ns.Exec(command, "-F").Succeeded();
            Ns.Exec(command, "-X").Succeeded();
        }

        Ns.Exec("ipset", "destroy").Succeeded();
    }

    [TestCaseSource(nameof(DocumentsDirectionsAndBackends))]
    public void Restore_EveryDocument_LoadsOneRulePerAggregatedPrefix(string document, Direction direction, string backend)
    {
        RuleSet rules = RuleSet.All(Load(document), direction);

        foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
        {
            var emitter = new IptablesEmitter(family);
            if ((family == AddressFamilies.IPv4 ? rules.Prefixes.IPv4 : rules.Prefixes.IPv6).IsEmpty)
            {
                Assert.That(() => rules.Render(emitter), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("refusing to build an allow-list of nothing"));
                continue;
            }

            string text = rules.Render(emitter);
            string command = $"{(family == AddressFamilies.IPv4 ? "iptables" : "ip6tables")}-{backend}";
            Ns.ExecOnFile(text, $"{command}-restore", "--test", "--noflush").Succeeded();
            Ns.ExecOnFile(text, $"{command}-restore", "--noflush").Succeeded();
            string[] saved = Readback.SavedRules(Ns.Exec($"{command}-save", "-t", "filter").Succeeded(), Chain(direction));

            Assert.That(saved, Is.EqualTo(Readback.RenderedRules(text)), $"{command}-save prints back exactly the rendered rules");
            foreach (FirewallRule rule in rules.ForFamilies(family).Rules)
            {
                string[] loaded = saved
                    .Where(line => line.Contains($" --dport {rule.Port.First} ", StringComparison.Ordinal))
                    .Select(line => Readback.Canonical(line.Split(' ')[3]))
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                Assert.That(loaded, Is.EqualTo(Readback.Expected(rule, family)), $"{rule.Name} {family}");
            }
        }
    }

    [TestCaseSource(nameof(DocumentsDirectionsAndBackends))]
    public void Ipset_EveryDocument_LoadsTheSetsAndRulesThatMatchThem(string document, Direction direction, string backend)
    {
        RuleSet rules = RuleSet.All(Load(document), direction);
        var options = new IptablesEmitterOptions { UseIpset = true };
        string sets = rules.ToIpset(options);

        Ns.ExecWithInput(sets, "ipset", "restore").Succeeded();
        Ns.ExecWithInput(sets, "ipset", "restore").Succeeded(); // again: the sets exist now and are swapped, not recreated

        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (FirewallRule rule in rules.Rules)
        {
            foreach ((AddressFamilies family, char digit) in new[] { (AddressFamilies.IPv4, '4'), (AddressFamilies.IPv6, '6') })
            {
                string[] prefixes = Readback.Expected(rule, family);
                if (prefixes.Length > 0)
                {
                    expected[$"datadog-{(direction == Direction.Egress ? 'e' : 'i')}{rule.Port.First}-tcp{digit}"] = prefixes;
                }
            }
        }

        expected["datadog-version"] = [$"0.0.0.{rules.Provenance.Version}/32"]; // the version mark (versions below 256 here)
        Assert.That(Readback.IpsetSets(Ns), Is.EqualTo(expected), "ipset save: every set and the version mark, no temporary left over");
        foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 }
            .Where(f => !(f == AddressFamilies.IPv4 ? rules.Prefixes.IPv4 : rules.Prefixes.IPv6).IsEmpty))
        {
            string text = rules.Render(new IptablesEmitter(family, options));
            string command = $"{(family == AddressFamilies.IPv4 ? "iptables" : "ip6tables")}-{backend}";
            Ns.ExecOnFile(text, $"{command}-restore", "--test", "--noflush").Succeeded();
            Ns.ExecOnFile(text, $"{command}-restore", "--noflush").Succeeded();

            Assert.That(Readback.SavedRules(Ns.Exec($"{command}-save", "-t", "filter").Succeeded(), Chain(direction)), Is.EqualTo(Readback.RenderedRules(text)));
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Script_RunTwiceWithNewerRanges_RefillsTheChainsAndJumpsOnce(bool useIpset)
    {
        var options = new IptablesEmitterOptions { UseIpset = useIpset };
        RuleSet older = RuleSet.For(Load("datadoghq.com-v40.json"), Section.Logs, Section.Apm);
        RuleSet newer = RuleSet.For(Load("datadoghq.com-v52.json"), Section.Logs, Section.Apm);

        Ns.ExecOnFile(older.ToIptablesScript(options), "sh").Succeeded();
        Ns.ExecOnFile(newer.ToIptablesScript(options), "sh").Succeeded();

        foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
        {
            string command = family == AddressFamilies.IPv4 ? "iptables" : "ip6tables";
            string save = Ns.Exec($"{command}-save", "-t", "filter").Succeeded();
            Assert.That(Readback.SavedRules(save, "OUTPUT"), Is.EqualTo(new[] { "-A OUTPUT -j datadog-egress" }), $"{command}: one jump after two runs");
            Assert.That(Readback.SavedRules(save, "datadog-egress"), Is.EqualTo(Readback.RenderedRules(newer.Render(new IptablesEmitter(family, options)))),
                $"{command}: the newer rules only");
        }

        if (useIpset)
        {
            Assert.That(Readback.IpsetSets(Ns)["datadog-e443-tcp4"], Is.EqualTo(Readback.Expected(newer.Rules[0], AddressFamilies.IPv4)));
        }
    }

    [Test]
    public void IpsetRules_SetsNotLoaded_RestoreFailsAndChangesNothing()
    {
        RuleSet rules = RuleSet.For(Load("datadoghq.com-v52.json"), Section.Logs);
        Ns.ExecOnFile(rules.ToIptables(), "iptables-restore", "--noflush").Succeeded();
        string before = string.Join('\n', Readback.SavedRules(Ns.Exec("iptables-save", "-t", "filter").Succeeded(), "datadog-egress"));

        ToolResult result = Ns.ExecOnFile(rules.ToIptables(new IptablesEmitterOptions { UseIpset = true }), "iptables-restore", "--noflush");

        Assert.That(result.ExitCode, Is.Not.Zero, "rules matching a set that does not exist were accepted");
        Assert.That(string.Join('\n', Readback.SavedRules(Ns.Exec("iptables-save", "-t", "filter").Succeeded(), "datadog-egress")), Is.EqualTo(before));
    }

    [TestCaseSource(nameof(Backends))]
    public void ListenerRules_EveryFormat_SaveBackAsRenderedWithTheDropsAfterTheAllows(string backend)
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8\nfd00::/8") },
        });
        Ns.ExecWithInput(listeners.ToIpset(), "ipset", "restore").Succeeded();

        foreach (bool useIpset in new[] { false, true })
        {
            foreach (AddressFamilies family in new[] { AddressFamilies.IPv4, AddressFamilies.IPv6 })
            {
                string text = listeners.Render(new IptablesEmitter(family, new IptablesEmitterOptions { UseIpset = useIpset }));
                string command = $"{(family == AddressFamilies.IPv4 ? "iptables" : "ip6tables")}-{backend}";
                Ns.ExecOnFile(text, $"{command}-restore", "--test", "--noflush").Succeeded();
                Ns.ExecOnFile(text, $"{command}-restore", "--noflush").Succeeded();

                string[] saved = Readback.SavedRules(Ns.Exec($"{command}-save", "-t", "filter").Succeeded(), "datadog-ingress");
                Assert.That(saved, Is.EqualTo(Readback.RenderedRules(text)), $"{command}{(useIpset ? " with ipsets" : string.Empty)} prints back exactly the rendered rules");
                Assert.That(saved.Where(line => line.EndsWith(" -j DROP", StringComparison.Ordinal)).Select(line => line.Split(" -m comment")[0]),
                    Is.EqualTo(listeners.Rules.Select(r => $"-A datadog-ingress -p {Protocol(r.Port)} -m {Protocol(r.Port)} --dport {r.Port.First}")),
                    "a drop per listener, by protocol and port alone");
                Assert.That(Array.FindLastIndex(saved, line => line.EndsWith(" -j ACCEPT", StringComparison.Ordinal)),
                    Is.LessThan(Array.FindIndex(saved, line => line.EndsWith(" -j DROP", StringComparison.Ordinal))), "the drops come after the allows");
            }
        }
    }

    [TestCaseSource(nameof(Backends))]
    public void LongestComment_IsAcceptedAndKeptWhole(string backend)
    {
        string[] sources = Enumerable.Range(0, 10).Select(i => $"section-{i}-{new string('x', 50)}").ToArray();
        var rule = new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https, PrefixSet.Parse("3.233.144.0/20"), sources);
        string text = RuleSet.Create([rule], new RuleSetProvenance(null, 1, null, sources, false)).ToIptables();

        Ns.ExecOnFile(text, $"iptables-{backend}-restore", "--noflush").Succeeded();

        Assert.That(Readback.SavedRules(Ns.Exec($"iptables-{backend}-save", "-t", "filter").Succeeded(), "datadog-egress"), Is.EqualTo(Readback.RenderedRules(text)));
    }

    [Test]
    public void HostileProvenance_ScriptLoadsNothingButItsChainsAndSets()
    {
        foreach (RuleSet rules in new[] { HostileInput.FromDocument(), HostileInput.FromProvenance() })
        {
            Ns.ExecOnFile(rules.ToIptablesScript(new IptablesEmitterOptions { UseIpset = true }), "sh").Succeeded();

            foreach (string command in new[] { "iptables", "ip6tables" })
            {
                string[] lines = Ns.Exec($"{command}-save").Succeeded().Split('\n')
                    .Where(line => line.Length > 0 && !line.StartsWith('#') && line is not ("*filter" or "COMMIT") && !line.StartsWith(":INPUT ", StringComparison.Ordinal)
                        && !line.StartsWith(":FORWARD ", StringComparison.Ordinal) && !line.StartsWith(":OUTPUT ", StringComparison.Ordinal))
                    .ToArray();
                Assert.That(
                    lines, Has.All.Match(@"^(:datadog-(egress|ingress) - \[0:0\]|-A (OUTPUT|INPUT) -j datadog-(egress|ingress)|-A datadog-(egress|ingress) .* -j ACCEPT)$"),
                    command);
            }

            Assert.That(Ns.Exec("ipset", "list", "-n").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.All.StartWith("datadog-"));
        }
    }

    private static string Protocol(PortRange port) => port.Protocol == TransportProtocol.Tcp ? "tcp" : "udp";

    private static string Chain(Direction direction) => direction == Direction.Egress ? "datadog-egress" : "datadog-ingress";

    private static IpRangesDocument Load(string document) => IpRangesDocument.Load(TestData.Path_("ip-ranges", document));
}
