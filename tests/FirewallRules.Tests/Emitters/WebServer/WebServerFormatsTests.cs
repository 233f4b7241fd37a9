using System.Net;
using FirewallRules.Emitters;
using FirewallRules.Emitters.Apache;
using FirewallRules.Emitters.Haproxy;
using FirewallRules.Emitters.WebServer;
using FirewallRules.Rules;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>
/// The web server formats (nginx, nginx-geo, apache, haproxy, caddy) pinned by golden files, what they refuse, and each server's
/// own parser reading them: every real document's ingress sections, with and without trusted proxies, and hostile free text.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class WebServerFormatsTests
{
    private static readonly string[] Formats = ["nginx", "nginx-geo", "apache", "haproxy", "caddy"];

    private static readonly Dictionary<string, string> Servers = new()
    {
        ["nginx"] = "nginx", ["nginx-geo"] = "nginx", ["apache"] = "apache2", ["haproxy"] = "haproxy", ["caddy"] = "caddy",
    };

    private static PrefixSet Proxies => PrefixSet.Parse("192.0.2.0/24\n2001:db8:1::/48");

    public static IEnumerable<TestCaseData> GoldenCases() =>
        from format in Formats
        from proxies in new[] { false, true }
        select new TestCaseData(format, proxies);

    [TestCaseSource(nameof(GoldenCases))]
    public void Render_RealDocument_MatchesGoldenFile(string format, bool proxies)
    {
        string text = Rules("datadoghq.com-v40.json", "webhooks", "synthetics", "logs").Render(Create(format, "datadog", proxies));

        GoldenFile.AssertMatches(text, format, $"v40-webhooks-synthetics-logs{(proxies ? "-trusted-proxies" : string.Empty)}.{(format == "haproxy" ? "acl" : "conf")}");
    }

    [TestCaseSource(nameof(Formats))]
    public void Render_DenyRule_IsRefusedBeforeAnyText(string format)
    {
        var deny = new FirewallRule(Direction.Ingress, RuleAction.Deny, PortRange.Https, PrefixSet.Parse("3.233.144.0/20"), ["webhooks"]);
        RuleSet rules = RuleSet.Create([deny], new RuleSetProvenance(Site.US1, 1, null, ["webhooks"], false));

        Assert.That(() => rules.Render(EmitterRegistry.Default.Create(format)), Throws.TypeOf<RuleGenerationException>().With.Message.Contains("no deny rule"));
    }

    [TestCaseSource(nameof(Formats))]
    public void Render_TrustedProxyInsideTheAllowedRanges_IsRefused(string format)
    {
        RuleSet rules = Rules("datadoghq.com-v52.json", "webhooks");
        string inside = rules.Prefixes.First().ToString();

        Assert.That(() => rules.Render(Create(format, "datadog", PrefixSet.Parse(inside))),
            Throws.TypeOf<RuleGenerationException>().With.Message.Contains("inside the allowed ranges"));
    }

    [TestCase("0.0.0.0/0", "trusts every address")]
    [TestCase("::/0", "trusts every address")]
    [TestCase("::ffff:10.0.0.0/104", "IPv4-mapped")]
    [TestCase("10.0.0.0/8\n2.0.0.0/7", "2.0.0.0/7 trusts a large part of the Internet")]
    [TestCase("2001:db8::/31", "2001:db8::/31 trusts a large part of the Internet")]
    [TestCase("64:ff9b::/96", "64:ff9b::/96 overlaps 64:ff9b::/96, where NAT64")]
    [TestCase("64:ff9b::c000:201/128", "overlaps 64:ff9b::/96, where NAT64")]
    [TestCase("64:ff9b:1::/48", "overlaps 64:ff9b:1::/48")]
    [TestCase("2001::/32", "overlaps 2001::/32")]
    [TestCase("2002:c000:201::/48", "overlaps 2002::/16")]
    [TestCase("192.88.99.0/24", "overlaps 192.88.99.0/24")]
    [TestCase("::/96", "::/96 holds addresses no connection comes from")]
    [TestCase("::ffff:0:0:0/96", "::ffff:0:0:0/96 holds addresses no connection comes from")]
    [TestCase("ff02::/32", "ff02::/32 holds addresses no connection comes from")]
    [TestCase("fec0::/48", "fec0::/48 holds addresses no connection comes from")]
    [TestCase("4000::/32", "4000::/32 holds addresses no connection comes from")]
    [TestCase("::2/128", "::2/128 holds addresses no connection comes from")]
    [TestCase("64:ff9a:ffff:ffff::/64", "64:ff9a:ffff:ffff::/64 holds addresses no connection comes from")]
    [TestCase("0.0.0.0/8", "0.0.0.0/8 holds addresses no connection comes from")]
    [TestCase("224.0.0.0/24", "224.0.0.0/24 holds addresses no connection comes from")]
    [TestCase("10.0.0.0/8\n255.255.255.255", "255.255.255.255/32 holds addresses no connection comes from")]
    public void TrustedProxies_TooBroadMappedOrAGateway_AreRefused(string proxies, string reason) =>
        Assert.That(() => new WebServerOptions { TrustedProxies = PrefixSet.Parse(proxies) }, Throws.ArgumentException.With.Message.Contains(reason));

    [TestCase("10.0.0.0/8")]
    [TestCase("2001:db8::/32")]
    [TestCase("2001:1::/32")]
    [TestCase("::1/128")]
    [TestCase("fe80::/32")]
    [TestCase("febf:ffff:ffff:ffff::/64")]
    [TestCase("fc00::/32")]
    [TestCase("3fff:ffff::/32")]
    [TestCase("1.0.0.0/8")]
    [TestCase("223.255.255.0/24")]
    public void TrustedProxies_AtTheBounds_AreTaken(string proxies) =>
        Assert.That(new WebServerOptions { TrustedProxies = PrefixSet.Parse(proxies) }.TrustedProxies, Is.EqualTo(PrefixSet.Parse(proxies)));

    [Test]
    public void Apache_PrivateProxies_AreInternalProxies_PublicOnesTrustedProxies()
    {
        string text = Rules("datadoghq.com-v52.json", "webhooks").ToApache(new ApacheOptions
        {
            TrustedProxies = PrefixSet.Parse("192.0.2.0/24\n10.1.0.0/16\n172.31.0.0/16\n127.0.0.1\n100.64.0.0/10\n2001:db8:1::/48\nfd00:1::/48\n::1"),
        });

        Assert.That(text.Split('\n').Where(line => line.StartsWith("RemoteIP", StringComparison.Ordinal)), Is.EqualTo(new[]
        {
            "RemoteIPHeader X-Forwarded-For",
            "RemoteIPTrustedProxy 100.64.0.0/10 192.0.2.0/24 2001:db8:1::/48",
            "RemoteIPInternalProxy 10.1.0.0/16 127.0.0.1/32 172.31.0.0/16 ::1/128 fd00:1::/48",
        }));
    }

    [TestCase("hooks")]
    [TestCase("/x\"> Require all granted")]
    [TestCase("/a b")]
    [TestCase("/a\\")]
    [TestCase("/ho%6fks/")]
    [TestCase("/a%20b")]
    [TestCase("/a//b/")]
    [TestCase("/a/./b")]
    [TestCase("/x/../hooks")]
    [TestCase("/hooks/..")]
    [TestCase("/hooks/.")]
    public void ApacheLocation_NotAPlainPath_IsRefused(string location) =>
        Assert.That(() => new ApacheOptions { Location = location }, Throws.ArgumentException.With.Message.Contains("is not a URL path"));

    [Test]
    public async Task ApacheLocation_WithATrailingSlash_GuardsThePathWithoutItToo_InApache()
    {
        LinuxTools.Require("apache2", "ip", "ss");
        RuleSet rules = Rules("datadoghq.com-v52.json", "webhooks");
        IPAddress inside = rules.Prefixes.First().BaseAddress, outside = IPAddress.Parse("198.51.100.7");
        using WebServerLab lab = WebServerLab.Create([inside, outside]);
        var file = new ServedFile(30_100, "apache", "dd", rules.ToApache(new ApacheOptions { Name = "dd", Location = "/hooks/" }));
        using ServerProcess apache = WebServers.Start(lab.Namespace, "apache2", [file]);
        // The receiver answers at /hooks itself, as an application behind a ProxyPass may.
        File.WriteAllText(Path.Combine(apache.Directory, "www", "hooks"), "hook\n");

        var seen = new List<string>();
        foreach (string path in new[] { "/hooks", "/hooks/", "/hooks/deploy", "//hooks", "/%68ooks/deploy", "/x/../hooks", "/", "/hooksx" })
        {
            int fromOutside = await lab.AskAsync(file.Port, new WebProbe(ProbeKind.Direct, outside, [], null) { Path = path });
            int fromInside = await lab.AskAsync(file.Port, new WebProbe(ProbeKind.Direct, inside, [], null) { Path = path });
            seen.Add($"{path}: {fromOutside} from outside, {fromInside} from Datadog");
        }

        Assert.That(seen, Is.EqualTo(new[]
        {
            "/hooks: 403 from outside, 200 from Datadog", "/hooks/: 403 from outside, 404 from Datadog", "/hooks/deploy: 403 from outside, 404 from Datadog",
            "//hooks: 403 from outside, 200 from Datadog", "/%68ooks/deploy: 403 from outside, 404 from Datadog", "/x/../hooks: 403 from outside, 200 from Datadog",
            "/: 200 from outside, 200 from Datadog", "/hooksx: 404 from outside, 404 from Datadog",
        }));
    }

    [Test]
    public void Comments_LineEndingInABackslash_LosesIt_SoApacheDoesNotJoinTheNextLine()
    {
        using var text = new StringWriter();
        WebServerText.Comments(text, ["ends in \\", "ends in \\\\ \\"]);

        Assert.That(text.ToString(), Is.EqualTo("# ends in\n# ends in\n"));
    }

    [TestCase("--trusted-proxies", "0.0.0.0/0", "--trusted-proxies 0.0.0.0/0 trusts every address")]
    [TestCase("--trusted-proxies", "0.0.0.0/1", "--trusted-proxies 0.0.0.0/1 trusts a large part of the Internet to name the client")]
    [TestCase("--trusted-proxies", "64:ff9b::/96", "--trusted-proxies 64:ff9b::/96 overlaps 64:ff9b::/96, where NAT64, Teredo or 6to4 gateways")]
    [TestCase("--trusted-proxies", "10.0.0.0/8; allow all", "--trusted-proxies line 1, column 13: unexpected text after the prefix")]
    [TestCase("--trusted-proxies", "10.0.0.1/8", "--trusted-proxies \"10.0.0.1/8\" has host bits set (the network is 10.0.0.0/8): write the network. See")]
    [TestCase("--location", "/\" Require all granted", "--location '/\" Require all granted' is not a URL path")]
    [TestCase("--location", "/hooks%2Fv2/", "--location '/hooks%2Fv2/' is not a URL path")]
    [TestCase("--location", "/api/../hooks/", "--location '/api/../hooks/' is not a URL path as httpd compares it")]
    public async Task Generate_HostileOption_ExitsTwoOnOneLine(string option, string value, string message)
    {
        string format = option == "--location" ? "apache" : "nginx";
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "-s", "webhooks", option, value);

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)), result.Error);
        Assert.That(result.Error.Split('\n')[0], Does.StartWith($"fwrules: {message}"));
    }

    [Test]
    public async Task Generate_TrustedProxyInAnyIPv6Spelling_IsReadAsTyped()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "nginx", "-s", "webhooks", "--trusted-proxies", "2001:DB8:0::/48");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("set_real_ip_from 2001:db8::/48;"));
    }

    [Test]
    public void EveryRealDocument_WithAndWithoutTrustedProxies_PassesEachServersOwnTest()
    {
        LinuxTools.Require("nginx", "apache2", "haproxy", "caddy");
        var files = new Dictionary<string, List<ServedFile>>();
        int port = 30_000;
        foreach (string document in Directory.EnumerateFiles(TestData.Path_("ip-ranges")).Order(StringComparer.Ordinal))
        {
            foreach (string[] sections in new[] { ["webhooks"], ["synthetics"], (string[])["webhooks", "synthetics"] })
            {
                foreach ((string format, bool proxies) in Formats.SelectMany(f => new[] { (f, false), (f, true) }).Where(v => !(v.Item1 == "caddy" && v.Item2)))
                {
                    string name = $"dd{port}";
                    string text = Rules(Path.GetFileName(document), sections).Render(Create(format, name, proxies));
                    files.TryAdd(Servers[format], []);
                    files[Servers[format]].Add(new ServedFile(port++, format, name, text));
                }
            }
        }

        Assert.Multiple(() =>
        {
            foreach ((string server, List<ServedFile> served) in files)
            {
                Linux.ToolResult check = WebServers.Check(server, served);
                Assert.That(check.ExitCode, Is.Zero, $"{server} refused one of {served.Count} outputs:\n{check.Output}{check.Error}");
            }
        });
    }

    [Test]
    public void HostileFreeText_StaysInCommentLines_AndEachServerReadsTheRestAsBefore()
    {
        LinuxTools.Require("nginx", "apache2", "haproxy", "caddy");
        Assert.Multiple(() =>
        {
            foreach (string format in Formats)
            {
                foreach (RuleSet rules in new[] { HostileInput.FromDocument(), HostileInput.FromProvenance() })
                {
                    string text = rules.Render(Create(format, "dd", proxies: format != "caddy"));
                    string[] code = [.. text.Split('\n').Where(line => !line.TrimStart().StartsWith('#'))];
                    Assert.That(code.Where(line => HostileInput.Markers.Any(marker => line.Contains(marker, StringComparison.Ordinal))), Is.Empty, format);
                    Linux.ToolResult check = WebServers.Check(Servers[format], [new ServedFile(30_000, format, "dd", text)]);
                    Assert.That(check.ExitCode, Is.Zero, $"{format}:\n{check.Output}{check.Error}");
                }
            }
        });
    }

    private static RuleSet Rules(string document, params string[] sections) =>
        RuleSet.For(IpRangesDocument.Load(TestData.Path_("ip-ranges", document), Site.US1), sections);

    private static IRuleEmitter Create(string format, string name, bool proxies) => Create(format, name, proxies ? Proxies : PrefixSet.Empty);

    private static IRuleEmitter Create(string format, string name, PrefixSet proxies) => EmitterRegistry.Default.Create(format, format switch
    {
        "apache" => new ApacheOptions { Name = name, TrustedProxies = proxies },
        "haproxy" => new HaproxyOptions { Name = name, TrustedProxies = proxies },
        _ => new WebServerOptions { Name = name, TrustedProxies = proxies },
    });
}
