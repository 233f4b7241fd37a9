namespace FirewallRules.Tests.Emitters.Linux;

/// <summary>
/// <c>fwrules generate --format nftables</c> from an agent's configuration, loaded into the kernel in a throwaway network
/// namespace: each feature flipped in the configuration adds or removes exactly its sections, ports and listeners.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class AgentConfigKernelTests
{
    private NetworkNamespace? _ns;
    private string? _dir;

    private NetworkNamespace Ns => _ns ?? throw new InvalidOperationException("no namespace");

    [OneTimeSetUp]
    public void CreateNamespace()
    {
        LinuxTools.Require("ip", "nft");
        _ns = NetworkNamespace.Create();
        _dir = Directory.CreateTempSubdirectory("fwrules-agent-").FullName;
    }

    [OneTimeTearDown]
    public void DeleteNamespace()
    {
        _ns?.Dispose();
        if (_dir is not null)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private async Task<(string Kernel, string Error)> LoadAsync(string yaml, string? env = null, params string[] extra)
    {
        string config = Path.Combine(_dir!, $"datadog-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(config, yaml);
        List<string> args = ["generate", "-f", "nftables", "--input", TestData.Path_("ip-ranges", "datadoghq.com-v59.json"), "--agent-config", config, .. extra];
        if (env is not null)
        {
            string file = Path.Combine(_dir!, $"env-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(file, env);
            args.AddRange(["--agent-env", file]);
        }

        ProcessResult generated = await FwrulesInProcess.RunAsync(null, [.. args]);
        Assert.That(generated.ExitCode, Is.EqualTo(0), generated.Error);
        Ns.ExecWithInput(generated.Output, "nft", "-f", "-").Succeeded();
        return (Ns.Exec("nft", "list", "table", "inet", "datadog").Succeeded(), generated.Error);
    }

    [Test]
    public async Task PublishedTemplate_LoadsTheDefaultSectionsAndLocalListeners()
    {
        (string kernel, _) = await LoadAsync(File.ReadAllText(TestData.Path_("agent", "datadog.yaml.example")));

        Assert.That(kernel, Does.Contain("tcp dport 443").And.Contain("for agents, apm, process, remote-configuration"));
        Assert.That(kernel, Does.Not.Contain("logs").And.Not.Contain("dport 10516"));
        Assert.That(kernel, Does.Contain("udp dport 8125").And.Contain("tcp dport 8126").And.Contain("tcp dport 5001").And.Contain("tcp dport 5000"));
    }

    [TestCase("logs_enabled: true\nlogs_config:\n  force_use_tcp: true\n", "dport 10516", null)]
    [TestCase("logs_enabled: true\n", "for agents, apm, logs, process, remote-configuration", "dport 10516")]
    [TestCase("apm_config:\n  enabled: false\n", "for agents, process, remote-configuration", "dport 8126")]
    [TestCase("remote_configuration:\n  enabled: false\n", "for agents, apm, process (ip-ranges v59)", "remote-configuration")]
    [TestCase("dogstatsd_port: 8200\n", "udp dport 8200", "dport 8125")]
    [TestCase("use_dogstatsd: false\n", "tcp dport 8126", "dport 8125")]
    [TestCase("otlp_config:\n  receiver:\n    protocols:\n      grpc:\n        endpoint: localhost:4317\n", "tcp dport 4317", "dport 4318")]
    public async Task FlippingAFeature_AddsOrRemovesExactlyItsRules(string yaml, string present, string? absent)
    {
        (string kernel, _) = await LoadAsync(yaml);

        Assert.That(kernel, Does.Contain(present));
        if (absent is not null)
        {
            Assert.That(kernel, Does.Not.Contain(absent));
        }
    }

    [Test]
    public async Task Environment_OverridesTheFile_InTheKernel()
    {
        (string kernel, _) =
            await LoadAsync("apm_config:\n  enabled: true\nlogs_enabled: false\n", "DD_APM_ENABLED=false\nDD_LOGS_ENABLED=true\nDD_LOGS_CONFIG_FORCE_USE_TCP=true\n");

        Assert.That(kernel, Does.Not.Contain("dport 8126").And.Not.Contain("apm"));
        Assert.That(kernel, Does.Contain("dport 10516"));
    }

    [Test]
    public async Task Proxy_RendersTheProxyRuleInsteadOfDatadogsRanges_AndSaysWhy()
    {
        (string kernel, string error) = await LoadAsync("proxy:\n  https: http://agent:pa55word@10.0.2.10:3128\n");

        Assert.That(kernel, Does.Contain("tcp dport 3128").And.Contain("10.0.2.10"));
        Assert.That(kernel, Does.Not.Contain("dport 443"), "every HTTPS destination goes through the proxy");
        Assert.That(error, Does.Contain("through the proxy 10.0.2.10:3128 (set by proxy.https)"));
        Assert.That(kernel + error, Does.Not.Contain("pa55word"));
    }

    [Test]
    public async Task NonLocalDogStatsD_OpenedToANetwork_AllowsItBesidesLoopback()
    {
        (string kernel, string error) = await LoadAsync("dogstatsd_non_local_traffic: true\n", null, "--open", "dogstatsd=10.0.0.0/8");

        Assert.That(kernel, Does.Contain("10.0.0.0/8").And.Contain("udp dport 8125"));
        Assert.That(error, Does.Not.Contain("dogstatsd listens on"));
    }
}
