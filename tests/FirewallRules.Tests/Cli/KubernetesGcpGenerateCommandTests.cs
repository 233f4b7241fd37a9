using FirewallRules.Emitters.Gcp;
using FirewallRules.Emitters.Kubernetes;

namespace FirewallRules.Tests.Cli;

/// <summary><c>fwrules generate</c> with the Kubernetes and Google Cloud formats and their options, through the real executable.</summary>
[TestFixture]
public class KubernetesGcpGenerateCommandTests
{
    [Test]
    public async Task Generate_KubernetesWithNamespaceAndSelector_WritesWhatTheLibraryRenders()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "kubernetes", "-s", "logs", "--namespace", "monitoring",
            "--pod-selector", "app=datadog-agent", "--pod-selector", "tier=node", "--no-dns");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(RuleSet.For(Section.Logs).ToKubernetesNetworkPolicy(new KubernetesPolicyOptions
        {
            Namespace = "monitoring",
            PodSelector = new Dictionary<string, string> { ["app"] = "datadog-agent", ["tier"] = "node" },
            AllowDns = false,
        })));
    }

    [Test]
    public async Task Generate_CiliumByNameClusterWide_WritesWhatTheLibraryRenders()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "cilium", "-s", "logs", "--by-name", "--cluster-wide");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(RuleSet.For(Section.Logs).ToCiliumNetworkPolicy(new KubernetesPolicyOptions { ByName = true, ClusterWide = true })));
    }

    [Test]
    public async Task Generate_GcpFirewallWithNetworkTagsAndPriority_WritesWhatTheLibraryRenders()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "terraform-gcp", "-s", "logs", "--network", "prod",
            "--target-tag", "datadog-agent", "--priority", "900", "--max-ranges-per-rule", "100");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Is.EqualTo(RuleSet.For(Section.Logs).ToTerraformGcp(new GcpFirewallOptions
        {
            Network = "prod",
            TargetTags = ["datadog-agent"],
            FirstPriority = 900,
            MaxRangesPerRule = 100,
        })));
    }

    [TestCase("-f", "nftables", "--namespace", "x")]
    [TestCase("-f", "kubernetes", "--target-tag", "x")]
    [TestCase("-f", "kubernetes", "--pod-selector", "novalue")]
    [TestCase("-f", "kubernetes", "--namespace", "Not_A_Namespace")]
    [TestCase("-f", "gcp-firewall", "--network", "Bad Network")]
    [TestCase("-f", "kubernetes", "--max-object-bytes", "100")]
    [TestCase("-f", "kubernetes", "--pod-selector", "bad key=x")]
    [TestCase("-f", "terraform-gcp", "--priority", "70000")]
    [TestCase("-f", "cilium", "--max-policy-map-entries", "0")]
    [TestCase("-f", "gcp-firewall", "--deny-priority", "x")]
    public async Task Generate_TargetOptionMisused_ExitsTwoWithOneLine(params string[] args)
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, ["generate", "-s", "logs", .. args]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error.Split('\n')[0], Does.StartWith("fwrules: ").And.Contain(args[2]).And.Not.Contain("(Parameter"), result.Error);
        Assert.That(result.Error, Does.Not.Contain("   at "));
    }

    [TestCase("kubernetes", "--cluster-wide", "--cluster-wide applies to calico, cilium, not to kubernetes.")]
    [TestCase("kubernetes", "--by-name", "--by-name applies to cilium, not to kubernetes.")]
    [TestCase("calico", "--max-policy-map-entries", "--max-policy-map-entries applies to cilium, not to calico.")]
    public async Task Generate_KubernetesSettingTheFormatDoesNotRead_ExitsTwoNamingTheFormatsThatDo(string format, string option, string message)
    {
        string[] value = option == "--max-policy-map-entries" ? ["100"] : [];

        ProcessResult result = await FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "-s", "logs", option, .. value]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Error);
        Assert.That(result.Error, Is.EqualTo($"fwrules: {message} See 'fwrules generate --help'.\n"));
    }

    [Test]
    public async Task Generate_WebhooksWithoutPodSelector_ExitsOneNamingTheOption()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "calico", "-s", "webhooks");

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("--pod-selector"));
    }
}
