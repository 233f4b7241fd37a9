using FirewallRules.Tests.Cli;

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
        LinuxTools.Require("ip", "nft", "iptables-restore", "ip6tables-restore", "ipset");
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
            "--input", TestData.Path_("ip-ranges", "datadoghq.com-v52.json"));
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);

        Ns.ExecWithInput(generated.Output, tool, args).Succeeded();
    }
}
