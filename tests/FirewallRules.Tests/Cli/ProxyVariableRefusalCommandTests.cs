namespace FirewallRules.Tests.Cli;

/// <summary>
/// Every proxy setting the agent honours (<c>DD_PROXY_HTTPS</c>, <c>proxy.https</c>, and the standard <c>HTTPS_PROXY</c>,
/// <c>https_proxy</c>, <c>HTTP_PROXY</c>, <c>http_proxy</c>) goes through the one special-address refusal: one at a metadata
/// service or another special address is one line and the exit <c>DD_PROXY_HTTPS</c> gives, from an agent environment file or
/// the Helm chart's <c>datadog.env</c> and <c>datadog.envDict</c>, and no output allows it; a host no allow-list can hold is
/// refused as <c>DD_PROXY_HTTPS</c>'s is; a proxy on the agent's loopback, or one named with <c>--allow-special-relay</c>, is a proxy.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class ProxyVariableRefusalCommandTests
{
    private static readonly string[] Variables = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

    private static readonly string[] Specials = ["169.254.169.254:80", "[fd00:ec2::254]:80", "169.254.170.2", "0.0.0.0:3128", "224.0.0.1"];

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private static IEnumerable<TestCaseData> VariablesAndSpecials() =>
        from variable in Variables
        from address in Specials
        select new TestCaseData(variable, address).SetArgDisplayNames(variable, address);

    private Task<ProcessResult> GenerateAsync(string format, string environment, params string[] more) =>
        FwrulesInProcess.RunAsync(null, ["generate", "-f", format, "--agent-config", _files.Write("datadog.yaml", "api_key: x\n"),
            "--agent-env", _files.Write("agent.env", environment), .. more]);

    private static void RefusedInOneLine(ProcessResult result, ProcessResult control, string variable)
    {
        Assert.That(result.ExitCode, Is.EqualTo(control.ExitCode).And.Not.Zero, result.Error);
        Assert.That(result.Error, Does.StartWith("fwrules: ").And.Contain($": {variable}: "));
        Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(result.Output, Is.Empty);
    }

    [TestCaseSource(nameof(VariablesAndSpecials))]
    public async Task Generate_StandardProxyVariableAtASpecialAddress_IsRefusedInOneLineAsDdProxyHttpsIs(string variable, string address)
    {
        ProcessResult control = await GenerateAsync("nftables", $"DD_PROXY_HTTPS=http://{address}\n");
        ProcessResult result = await GenerateAsync("nftables", $"{variable}=http://{address}\n");

        RefusedInOneLine(result, control, variable);
    }

    [TestCase("kubernetes")]
    [TestCase("cilium")]
    [TestCase("aws-sg")]
    [TestCase("iptables")]
    public async Task Generate_HttpsProxyAtTheMetadataService_NoFormatAllowsIt(string format)
    {
        ProcessResult result = await GenerateAsync(format, "HTTPS_PROXY=http://169.254.169.254:80\n");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Error, Does.Contain("HTTPS_PROXY: 169.254.169.254 is a cloud's instance metadata service"));
        Assert.That(result.Output, Does.Not.Contain("169.254.169.254"));
    }

    [TestCase("HTTPS_PROXY")]
    [TestCase("https_proxy")]
    [TestCase("HTTP_PROXY")]
    [TestCase("http_proxy")]
    public async Task Generate_HelmDatadogEnvSettingAProxyVariableAtTheMetadataService_RealProcessRefusesInOneLine(string variable)
    {
        string env = _files.Write("env.yaml", $"datadog:\n  apiKey: x\n  env:\n    - name: {variable}\n      value: http://169.254.169.254:80\n");
        string dict = _files.Write("dict.yaml", $"datadog:\n  apiKey: x\n  envDict:\n    {variable}: http://169.254.169.254:80\n");

        foreach (string values in new[] { env, dict })
        {
            ProcessResult result = await FwrulesProcess.RunAsync(null, "generate", "-f", "kubernetes", "--helm-values", values);

            Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
            Assert.That(result.Error, Does.StartWith($"fwrules: {values}:"), "the file and line of the value");
            Assert.That(result.Error, Does.Contain($"{variable}: 169.254.169.254 is a cloud's instance metadata service"));
            Assert.That(result.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
            Assert.That(result.Output, Does.Not.Contain("169.254.169.254"));
        }
    }

    [TestCase("HTTPS_PROXY")]
    [TestCase("http_proxy")]
    public async Task Generate_StandardProxyVariableNamingAHostNoAllowListHolds_IsRefusedAsDdProxyHttpsIs(string variable)
    {
        ProcessResult control = await GenerateAsync("nftables", "DD_PROXY_HTTPS=http://re_lay.internal:3128\n");
        ProcessResult result = await GenerateAsync("nftables", $"{variable}=http://re_lay.internal:3128\n");

        RefusedInOneLine(result, control, variable);
        Assert.That(result.Error, Does.Contain("its host a DNS name"));
    }

    [TestCase("HTTPS_PROXY=http://127.0.0.1:3128\n", new string[0], "127.0.0.1")]
    [TestCase("https_proxy=http://192.0.2.1:3128\n", new[] { "--allow-special-relay", "192.0.2.1" }, "192.0.2.1")]
    public async Task Generate_StandardProxyVariableOnLoopbackOrNamedAsASpecialRelay_IsAProxy(string environment, string[] more, string proxy)
    {
        ProcessResult result = await GenerateAsync("nftables", environment, more);

        Assert.That(result.ExitCode, Is.Zero, result.Error);
        Assert.That(result.Error, Does.Contain($"through the proxy {proxy}:3128"));
    }
}
