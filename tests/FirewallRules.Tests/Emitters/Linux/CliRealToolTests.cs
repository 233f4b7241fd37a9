namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>End to end: the real <c>fwrules</c> executable's output piped into the real tools, as an operator would.</summary>
[TestFixture]
[Category("RealTools")]
public class CliRealToolTests
{
    private NetworkNamespace? _ns;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require("ip", "nft", "iptables", "ip6tables", "iptables-restore", "ip6tables-restore", "ipset", "sh");
        _ns = NetworkNamespace.Create();
    }

    [OneTimeTearDown]
    public void DeleteNamespace() => _ns?.Dispose();

    [TestCase("nftables", "nft", "-f", "-")]
    [TestCase("nftables-strict", "nft", "-f", "-")]
    [TestCase("ipset", "ipset", "restore")]
    [TestCase("iptables", "iptables-restore", "-w", "--noflush")]
    [TestCase("ip6tables", "ip6tables-restore", "-w", "--noflush")]
    public async Task Generate_PipedIntoTheTool_Applies(string format, string tool, params string[] args)
    {
        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "--format", format, "--section", "logs",
            "--family", format == "ip6tables" ? "ipv6" : format == "iptables" ? "ipv4" : "both", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v52.json"));
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);

        Ns.ExecWithInput(generated.Output, tool, args).Succeeded();
    }

    [TestCase("nftables", "nft", "-c", "-f", "-")]
    [TestCase("nftables-strict", "nft", "-c", "-f", "-")]
    [TestCase("iptables", "iptables-restore", "-w", "--test", "--noflush")]
    [TestCase("ip6tables", "ip6tables-restore", "-w", "--test", "--noflush")]
    public async Task GenerateAgent_OpenedListener_PassesTheToolsCheck(string format, string tool, params string[] args)
    {
        // A single-family format is asked for its family alone (with both, the listener protection is refused).
        string[] family = format switch { "iptables" => ["--family", "ipv4"], "ip6tables" => ["--family", "ipv6"], _ => [] };
        ProcessResult generated = await FwrulesProcess.RunAsync(null, ["generate", "--format", format, "--agent", "datadog",
            "--feature", "dogstatsd", "--feature", "apm", "--open", "dogstatsd=10.0.0.0/8,fd00::/8", .. family]);
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);
        Assert.That(generated.Output, Does.Contain("dport 8125"), "the closed port's drop is in what the tool checks");

        Ns.ExecWithInput(generated.Output, tool, args).Succeeded();
    }

    [Test]
    public async Task GenerateAgent_IptablesScript_LeavesTheDropsInBothFamilies()
    {
        ProcessResult generated = await FwrulesProcess.RunAsync(null, "generate", "--format", "iptables-script", "--agent", "datadog", "--feature", "dogstatsd");
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);

        Ns.ExecWithInput(generated.Output, "sh").Succeeded();

        foreach (string command in new[] { "iptables", "ip6tables" })
        {
            string[] rules = Ns.Exec(command, "-w", "-S", "datadog-agent-ingress").Succeeded().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(rules[^1], Does.StartWith("-A datadog-agent-ingress -p udp -m udp --dport 8125 ").And.EndWith(" -j DROP"), command);
            Assert.That(Ns.Exec(command, "-w", "-S", "INPUT").Succeeded(), Does.Contain("-A INPUT -j datadog-agent-ingress"), command);
        }
    }
}
