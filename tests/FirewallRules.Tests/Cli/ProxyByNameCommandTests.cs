using FirewallRules.Tests.Emitters;

namespace FirewallRules.Tests.Cli;

/// <summary>
/// An operator's agent behind a proxy named by host name, through the command line: <c>generate -f cilium --by-name</c>
/// renders (the proxy by name, no error about loopback listeners), from a datadog.yaml or from Helm values setting
/// <c>DD_PROXY_HTTPS</c>; <c>generate -f domains</c> lists the proxy as <c>plan</c> does.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class ProxyByNameCommandTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string Config() => _files.Write("datadog.yaml", "api_key: 0123456789abcdef0123456789abcdef\nproxy:\n  https: http://proxy.internal:3128\n");

    [Test]
    public async Task GenerateCiliumByName_AgentConfigWithAProxy_ExitsZeroAllowingTheProxyByName()
    {
        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--agent-config", Config());

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Not.Contain("never meets").And.Not.Contain("not rendered: the proxy"));
        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("crd", result.Output);
        Assert.That(documents.Select(d => d.Name), Does.Contain("datadog-egress-tcp-3128").And.Contain("datadog-egress-ntp").And.Contain("datadog-egress-dns"));
        Assert.That(result.Output, Does.Contain("- matchName: proxy.internal\n"));
    }

    [Test]
    public async Task GenerateCiliumByName_HelmValuesSettingDdProxyHttps_ExitsZeroAllowingTheProxyByName()
    {
        string values = _files.Write("values.yaml", """
            datadog:
              site: datadoghq.com
              env:
                - name: DD_PROXY_HTTPS
                  value: http://proxy.internal:3128
            """);

        ProcessResult result = await FwrulesInProcess.RunAsync(null, "generate", "-f", "cilium", "--by-name", "--helm-values", values);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        IReadOnlyList<PublishedSchemas.Checked> documents = PublishedSchemas.AssertValid("crd", result.Output);
        Assert.That(documents.Select(d => d.Name), Does.Contain("datadog-egress-tcp-3128").And.Contain("datadog-egress-kubelet"));
        Assert.That(result.Output, Does.Contain("- matchName: proxy.internal\n").And.Not.Match(@"matchName: .*datadoghq\.com"));
    }

    [Test]
    public async Task GenerateDomains_AgentConfigWithAProxy_ListsTheProxyAsPlanDoes()
    {
        ProcessResult domains = await FwrulesInProcess.RunAsync(null, "generate", "-f", "domains", "--agent-config", Config());
        ProcessResult plan = await FwrulesInProcess.RunAsync(null, "plan", "--agent-config", Config());

        Assert.That((domains.ExitCode, plan.ExitCode), Is.EqualTo((0, 0)), domains.Error + plan.Error);
        Assert.That(plan.Output, Does.Match(@"proxy +proxy\.internal +3128/tcp +the proxy itself"));
        Assert.That(domains.Output.Split('\n'), Does.Contain("proxy.internal 3128/tcp proxy"));
    }
}
