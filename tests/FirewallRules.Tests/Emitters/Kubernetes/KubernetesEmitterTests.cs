using System.Text;
using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Kubernetes;
using FirewallRules.Ports;
using FirewallRules.Rules;

namespace FirewallRules.Tests.Emitters;

/// <summary>
/// kubernetes, cilium and calico: every output validates against the published schemas (networking.k8s.io/v1 OpenAPI,
/// Cilium and Calico CRDs), reads back through PyYAML to exactly the rules' prefixes and ports, and is pinned.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class KubernetesEmitterTests
{
    private static IpRangesDocument Version(int version) => IpRangesDocument.Load(TestData.Path_("ip-ranges", $"datadoghq.com-v{version}.json"));

    private static IEnumerable<TestCaseData> EveryDocumentAndDirection() =>
        TestData.IpRangesDocuments.SelectMany(path => new[] { Direction.Egress, Direction.Ingress }
            .Select(direction => new TestCaseData(Path.GetFileName(path), direction).SetArgDisplayNames(Path.GetFileNameWithoutExtension(path), direction.ToString())));

    private static readonly Dictionary<string, string> WebhookReceivers = new() { ["app"] = "webhook-receiver" };

    // Ingress from Datadog reaches the user's own services: they name the pods.
    private static KubernetesPolicyOptions For(Direction direction, bool clusterWide = false) => new()
    {
        PodSelector = direction == Direction.Ingress ? WebhookReceivers : null,
        ClusterWide = clusterWide,
    };

    private static RuleSet All(string file, Direction direction) => RuleSet.All(IpRangesDocument.Load(TestData.Path_("ip-ranges", file)), direction);

    /// <summary>Every other /24 of 20.0.0.0/8: 6,000 prefixes that do not aggregate, in both families.</summary>
    private static RuleSet Large() => RuleSet.Create(
        [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https,
            PrefixSet.Parse(string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"20.{i / 128}.{i % 128 * 2}.0/24")
                .Concat(Enumerable.Range(0, 1000).Select(i => $"2600:{(i * 2) + 1:x}::/32")))), ["large"])],
        new RuleSetProvenance(null, null, null, ["large"], IsEmbeddedSnapshot: false));

    [TestCase("kubernetes", "v52-logs-egress.yaml", false)]
    [TestCase("cilium", "v52-logs-egress.yaml", false)]
    [TestCase("cilium", "v52-logs-egress-clusterwide.yaml", true)]
    [TestCase("calico", "v52-logs-egress.yaml", false)]
    [TestCase("calico", "v52-logs-egress-clusterwide.yaml", true)]
    public void Write_RealDocument_MatchesTheReviewedOutput(string format, string file, bool clusterWide)
    {
        IRuleEmitter emitter = EmitterRegistry.Default.Create(format, new KubernetesPolicyOptions { ClusterWide = clusterWide });

        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Logs).Render(emitter), format, file);
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("calico")]
    public void Write_WebhooksAndListeners_MatchTheReviewedOutput(string format)
    {
        IRuleEmitter webhooks = EmitterRegistry.Default.Create(format, For(Direction.Ingress));
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions
        {
            Features = ["dogstatsd", "apm"],
            OpenTo = new Dictionary<string, PrefixSet> { ["dogstatsd"] = PrefixSet.Parse("10.0.0.0/8"), ["apm"] = PrefixSet.Parse("10.0.0.0/8\nfd00::/8") },
        });

        GoldenFile.AssertMatches(RuleSet.For(Version(52), Section.Webhooks).Render(webhooks), format, "v52-webhooks-ingress.yaml");
        GoldenFile.AssertMatches(listeners.Render(EmitterRegistry.Default.Create(format)), format, "datadog-dogstatsd-apm.yaml");
    }

    [Test]
    public void Cilium_ByName_MatchesTheReviewedOutput()
    {
        RuleSet rules = RuleSet.For(Section.Agents, Section.Apm, Section.Logs);

        GoldenFile.AssertMatches(rules.ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true }), "cilium", "embedded-agents-apm-logs-by-name.yaml");
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void NetworkPolicy_RealDocument_IsValidAndReadsBackAsTheRules(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        KubernetesPolicyOptions options = For(direction);

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("k8s", rules.ToKubernetesNetworkPolicy(options));

        Assert.That(PolicyReadBack.FromNetworkPolicies(documents), Is.EqualTo(PolicyReadBack.Expected(ExpectedRules.For(rules, options))));
        Assert.That(documents.Select(d => d.Name), direction == Direction.Egress ? Does.Contain("datadog-egress-dns") : Has.None.EndsWith("-dns"));
        Assert.That(documents.Select(d => d.Document["metadata"]!["namespace"]!.GetValue<string>()), Is.All.EqualTo("datadog"));
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void Cilium_RealDocument_IsValidAndReadsBackAsTheRules(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);

        foreach (bool clusterWide in new[] { false, true })
        {
            KubernetesPolicyOptions options = For(direction, clusterWide);
            IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("crd", rules.ToCiliumNetworkPolicy(options));

            Assert.That(PolicyReadBack.FromCilium(documents), Is.EqualTo(PolicyReadBack.Expected(ExpectedRules.For(rules, options))));
            Assert.That(documents.Select(d => d.Kind), Is.All.EqualTo(clusterWide ? "CiliumClusterwideNetworkPolicy" : "CiliumNetworkPolicy"));
        }
    }

    [TestCaseSource(nameof(EveryDocumentAndDirection))]
    public void Calico_RealDocument_IsValidAndReadsBackAsTheRules(string file, Direction direction)
    {
        RuleSet rules = All(file, direction);
        KubernetesPolicyOptions global = For(direction, clusterWide: true);

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("crd", rules.ToCalicoPolicy(global));

        Assert.That(PolicyReadBack.FromCalico(documents), Is.EqualTo(PolicyReadBack.Expected(ExpectedRules.For(rules, global))));
        Assert.That(documents.Select(d => d.Kind).Distinct(), Is.EquivalentTo(new[] { "GlobalNetworkSet", "GlobalNetworkPolicy" }));
    }

    [Test]
    public void Calico_Namespaced_ReadsBackAsTheRulesAndHoldsOnlyGlobalPolicyFields()
    {
        // data/validators has no CRD for Calico's namespaced NetworkPolicy: its spec is checked against the
        // GlobalNetworkPolicy schema (the fields used, selector, types and rules, are common to both kinds).
        RuleSet rules = RuleSet.For(Version(52), Section.Logs);
        string text = rules.ToCalicoPolicy();

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.Check("crd", text);
        string asGlobal = text.Replace("kind: NetworkPolicy", "kind: GlobalNetworkPolicy", StringComparison.Ordinal);

        Assert.That(documents.Where(d => d.Kind == "NetworkPolicy").Select(d => d.Document["metadata"]!["namespace"]!.GetValue<string>()), Is.All.EqualTo("datadog").And.Not.Empty);
        Assert.That(PolicyReadBack.FromCalico(PublishedSchemas.AssertValid("crd", asGlobal)), Is.EqualTo(PolicyReadBack.Expected(rules)));
        Assert.That(documents.Where(d => d.Kind == "NetworkPolicy").SelectMany(d => d.Document["spec"]!.AsObject().Select(p => p.Key)).Distinct(),
            Is.EquivalentTo(new[] { "selector", "types", "egress" }));
    }

    [TestCase("kubernetes", "k8s")]
    [TestCase("cilium", "crd")]
    [TestCase("calico", "crd")]
    public void Write_LongList_SplitsIntoObjectsWithinTheSizeLimit(string format, string kind)
    {
        RuleSet rules = Large();
        var options = new KubernetesPolicyOptions { MaxObjectBytes = 65536, ClusterWide = format == "calico" };

        string text = rules.Render(EmitterRegistry.Default.Create(format, options));

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid(kind, text);
        string[] objects = text.Split("---\n")[1..];
        Assert.That(objects.Select(o => Encoding.UTF8.GetByteCount(o)), Is.All.LessThanOrEqualTo(65536));
        Assert.That(objects, Has.Length.GreaterThan(2), "6,000 prefixes do not fit one 64 KiB object");
        SortedDictionary<string, string[]> readBack = format switch
        {
            "kubernetes" => PolicyReadBack.FromNetworkPolicies(documents),
            "cilium" => PolicyReadBack.FromCilium(documents),
            _ => PolicyReadBack.FromCalico(documents),
        };
        Assert.That(readBack, Is.EqualTo(PolicyReadBack.Expected(rules)), "every prefix once, none lost");
        Assert.That(documents.Select(d => d.Name).Where(n => !n.EndsWith("-dns", StringComparison.Ordinal)),
            Has.Some.EqualTo("datadog-egress-tcp-443-1").And.Some.EqualTo("datadog-egress-tcp-443-2"));
    }

    [TestCase("kubernetes", "k8s")]
    [TestCase("cilium", "crd")]
    [TestCase("calico", "crd")]
    public void Write_PrefixesYamlMustQuote_AreQuotedSplitWithinTheLimitAndReadBack(string format, string kind)
    {
        // "::1:2:1:0/112" starts with a colon, which plain YAML does not allow: it is written in quotes, two bytes longer,
        // and the split planned from the prefixes' numbers must count them.
        RuleSet rules = RuleSet.Create(
            [new FirewallRule(Direction.Egress, RuleAction.Allow, PortRange.Https,
                PrefixSet.Parse(string.Join('\n', Enumerable.Range(1, 1500).Select(i => $"::1:{i * 2:x}:1:0/112").Append("192.0.2.0/24"))), ["quoted"])],
            new RuleSetProvenance(null, null, null, ["quoted"], IsEmbeddedSnapshot: false));
        var options = new KubernetesPolicyOptions { MaxObjectBytes = 8192, ClusterWide = format == "calico" };

        string text = rules.Render(EmitterRegistry.Default.Create(format, options));

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid(kind, text);
        int[] sizes = [.. text.Split("---\n")[1..].Select(o => Encoding.UTF8.GetByteCount(o))];
        Assert.That(sizes, Is.All.LessThanOrEqualTo(8192));
        Assert.That(sizes.Count(size => size > 7000), Is.GreaterThan(3), "the parts are filled, not cut short");
        Assert.That(text, Does.Contain("\"::1:2:1:0/112\"\n").And.Contain(" 192.0.2.0/24\n"));
        SortedDictionary<string, string[]> readBack = format switch
        {
            "kubernetes" => PolicyReadBack.FromNetworkPolicies(documents),
            "cilium" => PolicyReadBack.FromCilium(documents),
            _ => PolicyReadBack.FromCalico(documents),
        };
        Assert.That(readBack, Is.EqualTo(PolicyReadBack.Expected(rules)), "every prefix once, none lost");
    }

    [Test]
    public void Cilium_MoreEntriesThanThePolicyMap_IsRefusedWithTheReason()
    {
        var ex = Assert.Throws<RuleGenerationException>(() => Large().ToCiliumNetworkPolicy(new KubernetesPolicyOptions { MaxPolicyMapEntries = 6001 }));

        Assert.That(ex!.Message, Does.Contain("6002 entries").And.Contain("6001").And.Contain("bpf-policy-map-max").And.Contain("EmitterOptions.MaxPrefixesPerRule")
            .And.Contain("KubernetesPolicyOptions.MaxPolicyMapEntries"));
        Assert.That(Large().ToCiliumNetworkPolicy(new KubernetesPolicyOptions { MaxPolicyMapEntries = 6002 }), Does.Contain("CiliumNetworkPolicy"));
        Assert.That(
            Large().WithPrefixBudget(1000).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { MaxPolicyMapEntries = 6001 }), Does.Contain("CiliumNetworkPolicy"),
            "a prefix budget meets it");
    }

    [Test]
    public void Write_FrameLargerThanTheObjectLimit_IsRefusedNamingTheOption()
    {
        RuleSet rules = RuleSet.For(Version(52), Section.Logs);
        var crowded = new KubernetesPolicyOptions
        {
            MaxObjectBytes = 4096,
            PodSelector = Enumerable.Range(0, 60).ToDictionary(i => $"label-{i}", _ => new string('x', 63)),
        };

        Assert.That(rules.ToKubernetesNetworkPolicy(new KubernetesPolicyOptions { MaxObjectBytes = 4096 }), Does.Contain("3.233.144.0/20"), "a 4 KiB object holds a rule");
        var ex = Assert.Throws<RuleGenerationException>(() => rules.ToKubernetesNetworkPolicy(crowded));

        Assert.That(ex!.Message, Does.Contain("4096 bytes").And.Contain("raise KubernetesPolicyOptions.MaxObjectBytes"));
    }

    [Test]
    public void Write_IngressFromDatadogWithoutPodSelector_IsRefusedNamingTheOption()
    {
        RuleSet webhooks = RuleSet.For(Version(52), Section.Webhooks);

        foreach (string format in new[] { "kubernetes", "cilium", "calico" })
        {
            var ex = Assert.Throws<RuleGenerationException>(() => webhooks.Render(EmitterRegistry.Default.Create(format)));
            Assert.That(ex!.Message, Does.Contain("KubernetesPolicyOptions.PodSelector").And.Contain("webhooks"), format);
        }
    }

    [Test]
    public void NetworkPolicy_DenyRule_IsRefusedAndTheOthersRenderIt()
    {
        RuleSet deny = RuleSet.For(Version(52), ["logs"], new RuleSetOptions { Action = RuleAction.Deny });

        var ex = Assert.Throws<RuleGenerationException>(() => deny.ToKubernetesNetworkPolicy());

        Assert.That(ex!.Message, Does.Contain("can only allow").And.Contain("cilium or calico"));
        Assert.That(PolicyReadBack.FromCilium(PublishedSchemas.AssertValid("crd", deny.ToCiliumNetworkPolicy())), Is.EqualTo(PolicyReadBack.Expected(deny)));
        Assert.That(PolicyReadBack.FromCalico(PublishedSchemas.AssertValid("crd", deny.ToCalicoPolicy(new KubernetesPolicyOptions { ClusterWide = true }))),
            Is.EqualTo(PolicyReadBack.Expected(deny)));
    }

    [Test]
    public void Write_ListenersReachableFromLoopbackOnly_IsRefusedNamingOpen()
    {
        RuleSet listeners = LocalListenerRules.For(AgentKind.DatadogAgent, new LocalListenerOptions { Features = ["dogstatsd"] });

        var ex = Assert.Throws<RuleGenerationException>(() => listeners.ToKubernetesNetworkPolicy());

        Assert.That(ex!.Message, Does.Contain("LocalListenerOptions.OpenTo").And.Contain("inside a pod"));
    }

    [Test]
    public void Write_LabelValuesYamlWouldReadAsOtherTypes_AreQuotedAndReadBackAsStrings()
    {
        var options = new KubernetesPolicyOptions
        {
            PodSelector = new Dictionary<string, string> { ["enabled"] = "yes", ["on"] = "true", ["version"] = "1.10", ["empty"] = string.Empty }
        };

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("k8s", RuleSet.For(Version(52), Section.Logs).ToKubernetesNetworkPolicy(options));

        JsonObject labels = documents[0].Document["spec"]!["podSelector"]!["matchLabels"]!.AsObject();
        Assert.That(labels.Select(l => (l.Key, l.Value!.GetValueKind(), l.Value.ToString())), Is.EquivalentTo(new[]
        {
            ("empty", System.Text.Json.JsonValueKind.String, string.Empty),
            ("enabled", System.Text.Json.JsonValueKind.String, "yes"),
            ("on", System.Text.Json.JsonValueKind.String, "true"),
            ("version", System.Text.Json.JsonValueKind.String, "1.10"),
        }));
    }

    [TestCase("app", "a b")]
    [TestCase("app\n", "x")]
    [TestCase("app", "x\"; rm -rf /")]
    [TestCase("-bad", "x")]
    [TestCase("a/b/c", "x")]
    public void PodSelector_NotALabel_IsRefused(string key, string value)
    {
        Assert.Throws<ArgumentException>(() => _ = new KubernetesPolicyOptions { PodSelector = new Dictionary<string, string> { [key] = value } });
    }

    [TestCase("Datadog")]
    [TestCase("data_dog")]
    public void Write_NameKubernetesRefuses_IsRefusedNamingTheOption(string name)
    {
        var ex = Assert.Throws<RuleGenerationException>(() => RuleSet.For(Version(52), Section.Logs).ToKubernetesNetworkPolicy(new KubernetesPolicyOptions { Name = name }));

        Assert.That(ex!.Message, Does.Contain("EmitterOptions.Name").And.Contain(name));
    }

    [Test]
    public void Write_NoDns_LeavesTheDnsPolicyOutAndSaysSo()
    {
        string text = RuleSet.For(Version(52), Section.Logs).ToKubernetesNetworkPolicy(new KubernetesPolicyOptions { AllowDns = false });

        Assert.That(text, Does.Not.Contain("kube-dns\n").And.Contain("DNS is not allowed here"));
        Assert.That(PublishedSchemas.AssertValid("k8s", text).Select(d => d.Name), Has.None.EndsWith("-dns"));
    }

    [Test]
    public void Cilium_ByName_AllowsTheSitesHostNamesAndProxiesDns()
    {
        IpRangesDocument eu = IpRangesDocument.Parse(File.ReadAllText(TestData.Path_("ip-ranges", "datadoghq.com-v52.json")), Site.EU1);
        string text = RuleSet.For(eu, [Section.Logs, Section.Api]).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true });

        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("crd", text);

        Dictionary<string, string[]> names = documents.Where(d => !d.Name.EndsWith("-dns", StringComparison.Ordinal)).ToDictionary(d => d.Name,
            d => d.Document["spec"]!["egress"]![0]!["toFQDNs"]!.AsArray().Select(n => n!.AsObject().Single().Value!.GetValue<string>()).ToArray());
        Assert.That(names, Is.EqualTo(new Dictionary<string, string[]>
        {
            // EU1's logs over TCP go to 443, not 10516 (IntakeHostNames.NoTcpLogsIntake): no policy names a host on 10516.
            ["datadog-egress-tcp-443"] = ["agent-http-intake.logs.datadoghq.eu", "api.datadoghq.eu", "http-intake.logs.datadoghq.eu"],
        }));
        JsonNode dns = documents.Single(d => d.Name == "datadog-egress-dns").Document["spec"]!["egress"]![0]!["toPorts"]![0]!;
        Assert.That(dns["rules"]!["dns"]![0]!["matchPattern"]!.GetValue<string>(), Is.EqualTo("*"));
    }

    [Test]
    public void Cilium_ByNameForASectionWithoutDocumentedNames_IsRefused()
    {
        var ex = Assert.Throws<RuleGenerationException>(() => RuleSet.For(Section.Global).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true }));

        Assert.That(ex!.Message, Does.Contain("'global'").And.Contain("KubernetesPolicyOptions.ByName = false"));
        Assert.Throws<RuleGenerationException>(() => RuleSet.For(Section.Logs).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true, AllowDns = false }));
    }

    [Test]
    public void Registry_ListsTheKubernetesFormats()
    {
        Assert.That(EmitterRegistry.Default.Formats.Select(f => f.Format), Is.SupersetOf(new[] { "kubernetes", "cilium", "calico" }));
    }
}
