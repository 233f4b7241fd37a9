using System.Text.Json.Nodes;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Ingress;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.WebServer;

namespace FirewallRules.Tests.Emitters.Ingress;

/// <summary>
/// The Kubernetes ingress controllers' allow-lists: the ingress-nginx annotation (an Ingress merge patch) checked against Kubernetes'
/// published networking.k8s.io/v1 schema and Traefik's Middleware against Traefik's published CRD, each read back by PyYAML and
/// compared with the sections' prefixes as the document's JSON lists them (<see cref="ClientOracle"/>, not the library); golden
/// files; Kubernetes' annotation size bound; names Kubernetes refuses.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class IngressFormatsTests
{
    private static PrefixSet Proxies => PrefixSet.Parse("192.0.2.0/24\n2001:db8:1::/48");

    public static IEnumerable<TestCaseData> GoldenCases() =>
        from format in new[] { "ingress-nginx", "traefik" }
        from proxies in new[] { false, true }
        select new TestCaseData(format, proxies);

    [TestCaseSource(nameof(GoldenCases))]
    public void Render_RealDocument_MatchesGoldenFile(string format, bool proxies)
    {
        string text = Rules("datadoghq.com-v40.json", "webhooks", "synthetics", "logs").Render(Create(format, proxies ? Proxies : PrefixSet.Empty));

        GoldenFile.AssertMatches(text, format, $"v40-webhooks-synthetics-logs{(proxies ? "-trusted-proxies" : string.Empty)}.yaml");
    }

    // The oldest real document (IPv4 alone, the longest logs list) and the newest (IPv6 too): the shapes an output takes; the goldens
    // pin v40's text.
    [Test]
    public void OldestAndNewestRealDocuments_AreValidAgainstThePublishedSchemas_AndReadBackAsTheDocumentsRanges()
    {
        var outputs = new List<(string Document, string Format, bool Proxies, string[] Sections, string Text)>();
        string[] documents = [.. Directory.EnumerateFiles(TestData.Path_("ip-ranges")).OrderBy(VersionOf)];
        foreach (string document in new[] { documents[0], documents[^1] })
        {
            foreach ((string format, bool proxies) in new[] { ("ingress-nginx", false), ("ingress-nginx", true), ("traefik", false), ("traefik", true) })
            {
                string[] sections = ["webhooks", "synthetics", .. File.ReadAllText(document).Contains("\"logs\"", StringComparison.Ordinal) ? ["logs"] : (string[])[]];
                outputs.Add((document, format, proxies, sections, Rules(Path.GetFileName(document), sections).Render(Create(format, proxies ? Proxies : PrefixSet.Empty))));
            }
        }

        // One validator run per schema, over every output as one YAML stream: each output is one object, read back in order.
        Assert.Multiple(() =>
        {
            foreach (var kind in outputs.GroupBy(o => o.Format))
            {
                IReadOnlyList<PublishedSchemas.Checked> read = PublishedSchemas.AssertValid(kind.Key == "traefik" ? "crd" : "k8s", string.Join('\n', kind.Select(o => o.Text)));
                Assert.That(read, Has.Count.EqualTo(kind.Count()), kind.Key);
                foreach (((string document, string format, bool proxies, string[] sections, _), PublishedSchemas.Checked one) in kind.Zip(read))
                {
                    ClientOracle oracle = ClientOracle.From(document, sections, ipv4: true, ipv6: true, []);
                    Assert.That(ReadBack(one.Document, format).Select(ClientOracle.AddressRange.Parse), Is.EquivalentTo(oracle.Exact()), $"{document} {format}");
                    Assert.That(one.Document["spec"]?["ipAllowList"]?["ipStrategy"]?["excludedIPs"]?.AsArray().Select(p => p!.GetValue<string>()),
                        format == "traefik" && proxies ? Is.EqualTo(new[] { "192.0.2.0/24", "2001:db8:1::/48" }) : Is.Null);
                }
            }
        });
    }

    [Test]
    public void IngressNginx_AnAnnotationOverKubernetesBound_IsRefusedNamingThePrefixBudget()
    {
        var many = new FirewallRule(Direction.Ingress, RuleAction.Allow, PortRange.Https,
            PrefixSet.Parse(string.Join('\n', Enumerable.Range(0, 20_000).Select(i => $"11.{i >> 8}.{i & 255}.1"))), ["webhooks"]);
        RuleSet rules = RuleSet.Create([many], new RuleSetProvenance(Site.US1, 1, null, ["webhooks"], false));

        Assert.That(() => rules.ToIngressNginx(), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("over Kubernetes' 262144"));
        Assert.That(rules.ToIngressNginx(new IngressOptions { MaxPrefixesPerRule = 1000 }), Does.Contain("whitelist-source-range"), "summarised, it fits");
    }

    [TestCase("Default")]
    [TestCase("a_b")]
    [TestCase("x\nkind: Secret")]
    public void Namespace_NotALabel_IsRefused(string name) =>
        Assert.That(() => new IngressOptions { Namespace = name }, Throws.ArgumentException.With.Message.Contains("is not a namespace name"));

    [Test]
    public void Traefik_ANameKubernetesRefuses_IsRefusedBeforeAnyText() =>
        Assert.That(() => Rules("datadoghq.com-v52.json", "webhooks").ToTraefik(new IngressOptions { Name = "Datadog_X" }),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("cannot name a Kubernetes object"));

    private static IEnumerable<string> ReadBack(JsonObject document, string format) => format == "traefik"
        ? document["spec"]!["ipAllowList"]!["sourceRange"]!.AsArray().Select(p => p!.GetValue<string>())
        : document["metadata"]!["annotations"]![IngressAnnotation]!.GetValue<string>().Split(',');

    private static int VersionOf(string document) =>
        int.Parse(Path.GetFileNameWithoutExtension(document).Split("-v")[^1], System.Globalization.CultureInfo.InvariantCulture);

    private const string IngressAnnotation = "nginx.ingress.kubernetes.io/whitelist-source-range";

    private static RuleSet Rules(string document, params string[] sections) =>
        RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", document), Site.US1), sections);

    private static IRuleEmitter Create(string format, PrefixSet proxies) =>
        EmitterRegistry.Default.Create(format, new IngressOptions { Namespace = "webhooks", Ingress = "receiver", TrustedProxies = proxies });
}
