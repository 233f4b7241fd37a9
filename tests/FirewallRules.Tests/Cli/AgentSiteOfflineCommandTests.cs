using System.Text.RegularExpressions;
using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// Kubernetes outputs of an agent's configuration for a site other than US1, offline: <c>cilium --by-name</c> allows the
/// site's hosts by name and a proxied agent reaches Datadog only through its proxy, so neither reads the site's ip-ranges
/// document (none refused, none fetched, no snapshot warning), and the output says it holds no Datadog ranges; an output
/// that does hold the site's prefixes still refuses the US1 snapshot. The summary counts what is written, and a proxy an
/// address format cannot hold is refused.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class AgentSiteOfflineCommandTests
{
    private const string Key = "api_key: 0123456789abcdef0123456789abcdef\n";

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string HelmValues(string site) => _files.Write($"values-{site}.yaml", $"datadog:\n  apiKey: 0123456789abcdef0123456789abcdef\n  site: {site}\n");

    private string AgentConfig(string extra = "") => _files.Write("datadog.yaml", Key + "site: datadoghq.eu\n" + extra);

    private string ProxiedConfig(string proxy) => AgentConfig($"proxy:\n  https: http://{proxy}:3128\n  http: http://{proxy}:3128\n");

    [Test]
    public async Task GenerateCiliumByName_Eu1HelmValuesOffline_AllowsEu1HostsAndSaysItHoldsNoRanges()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--helm-values", HelmValues("datadoghq.eu"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("matchName: config.datadoghq.eu\n").And.Not.Match(@"matchName: .*datadoghq\.com"));
        Assert.That(result.Output, Does.Contain("# No Datadog IP ranges: ").And.Not.Contain("ip-ranges version").And.Not.Contain("toCIDRSet"));
        Assert.That(result.Error, Does.Contain("; no Datadog ranges (no ip-ranges document read); ").And.Not.Contain("snapshot").And.Not.Contain("US1"));
        PublishedSchemas.AssertValid("crd", result.Output);
    }

    [Test]
    public async Task GenerateCiliumByName_Eu1AgentConfigOffline_ExitsZeroWithEu1Hosts()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", AgentConfig());

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("matchName: config.datadoghq.eu\n").And.Not.Match(@"matchName: .*datadoghq\.com"));
        Assert.That(result.Error, Does.Not.Contain("snapshot"));
    }

    [Test]
    public async Task GenerateCiliumByName_Eu1AgentConfigWithLive_FetchesNothingAndSaysSo()
    {
        // A mirror nothing listens on: a fetch would fail with exit 3.
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--by-name", "--agent-config", AgentConfig(), "--live", "--base-url", "http://127.0.0.1:9/", "--retries", "0");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("the ip-ranges document is not read"));
    }

    [Test]
    public async Task GenerateKubernetes_Eu1AgentEverythingThroughProxyOffline_AllowsTheProxyWithoutRanges()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "kubernetes", "--agent-config", ProxiedConfig("10.9.9.9"), "--open", "proxy=10.9.9.9/32");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("cidr: 10.9.9.9/32\n").And.Contain("# No Datadog IP ranges: "));
        Assert.That(result.Error, Does.Contain("; no Datadog ranges (no ip-ranges document read); 3 policies: 1 port rule by address (1 IPv4 and 0 IPv6 prefixes), ntp, dns\n"));
        Assert.That(result.Error, Does.Not.Contain("snapshot"));
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("nftables")]
    public async Task Generate_Eu1AgentReachingItsRangesDirectlyOffline_StillRefusesTheUs1Snapshot(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent-config", AgentConfig());

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((1, string.Empty)));
        Assert.That(result.Error, Does.Contain("the agent sends to EU1 but the ranges are US1's"));
    }

    [Test]
    public async Task GenerateCiliumByName_HelmValues_SummaryCountsHostNamesNotUnwrittenListenerRules()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--helm-values", HelmValues("datadoghq.com"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        int names = Regex.Matches(result.Output, @"- match(?:Name|Pattern): ""?([^""\s]+)").Select(m => m.Groups[1].Value).Where(n => n != "*").Distinct().Count();
        Assert.That(
            result.Error, Does.Match($@"; 6 policies: {names} host names, kubelet, ntp, cluster-agent, dns\n").And.Not.Contain("rule by address"), "no policy holds an address");
    }

    [TestCase("cilium")]
    [TestCase("kubernetes")]
    [TestCase("calico")]
    public async Task Generate_HelmValuesForAKubernetesFormat_DoesNotSayDnsIsNotRendered(string format)
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--helm-values", HelmValues("datadoghq.com"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("  name: datadog-egress-dns\n"));
        Assert.That(result.Error, Does.Not.Contain("not rendered: dns"));
    }

    [Test]
    public async Task GenerateCilium_HelmValuesWithNoDns_SaysDnsIsNotRendered()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--no-dns", "--helm-values", HelmValues("datadoghq.com"));

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain("not rendered: dns"));
    }

    [TestCase("cilium", true)]
    [TestCase("kubernetes", false)]
    [TestCase("calico", false)]
    [TestCase("nftables", false)]
    [TestCase("iptables", false)]
    public async Task Generate_AddressFormatWithANamedProxyAndNoOpen_ExitsTwoNamingOpenProxy(string format, bool byName)
    {
        string config = _files.Write("us1.yaml", Key + "proxy:\n  https: http://proxy.internal:3128\n  http: http://proxy.internal:3128\n");

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", format, "--agent-config", config);

        Assert.That((result.ExitCode, result.Output), Is.EqualTo((2, string.Empty)));
        Assert.That(result.Error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("proxy.internal:3128").And.Contain("--open proxy=CIDR"));
        Assert.That(result.Error.Contains("--by-name", StringComparison.Ordinal), Is.EqualTo(byName), result.Error);
    }

    [Test]
    public async Task GenerateCilium_NamedProxyWithItsAddressGiven_ExitsZeroAllowingTheAddress()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(
            null, "generate", "-f", "cilium", "--agent-config", ProxiedConfig("proxy.internal"), "--open", "proxy=10.9.9.9/32");

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Output, Does.Contain("- cidr: 10.9.9.9/32\n"));
    }
}
