namespace FirewallRules.Tests.Cli;

/// <summary>
/// <c>fwrules plan</c>, the built tool in its own process, on a configuration that ships processes, profiles, SBOMs and
/// logs to a second place from datadog.yaml and the environment: each host with its port in the plan and in the Squid
/// allow-list, no API key anywhere, and a hostile host refused in one line.
/// </summary>
[TestFixture]
public class DualShippingPlanCommandTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    private TempFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new TempFiles();

    [TearDown]
    public void DeleteDirectory() => _files.Dispose();

    private string Config() => _files.Write("datadog.yaml", $"""
        api_key: {Key}
        logs_enabled: true
        process_config:
          process_collection:
            enabled: true
          additional_endpoints:
            "https://process.datadoghq.eu": [{Key}]
        apm_config:
          profiling_additional_endpoints:
            "https://profiles.relay.example.net:9443": [{Key}]
        sbom:
          enabled: true
          additional_endpoints:
            - api_key: {Key}
              Host: sbom.relay.example.net
              Port: 8443
              is_reliable: true
        """);

    private string Environment() => _files.Write("environment", $"DD_PROCESS_ADDITIONAL_ENDPOINTS={{\"https://process.relay.example.net:7443\": [\"{Key}\"]}}\n");

    [Test]
    public async Task Plan_DualShippingKeys_PrintsEachHostWithItsPort()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", Config(), "--agent-env", Environment());

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        string[] lines = result.Output.Split('\n');
        Assert.That(lines, Has.Some.Match(@"^process +process\.relay\.example\.net +7443/tcp "),
            "DD_PROCESS_ADDITIONAL_ENDPOINTS wins over the file, as the agent reads it");
        Assert.That(lines, Has.Some.Match(@"^profiling +profiles\.relay\.example\.net +9443/tcp "));
        Assert.That(lines, Has.Some.Match(@"^sbom +sbom\.relay\.example\.net +8443/tcp "));
        Assert.That(result.Output + result.Error, Does.Not.Contain(Key[..16]));
    }

    [Test]
    public async Task Plan_DualShippingKeys_InTheSquidAllowList()
    {
        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", Config(), "--allow-list", "squid");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("acl datadog_hosts_443 dstdomain -n process.datadoghq.eu\n")
            .And.Contain("acl datadog_hosts_9443 dstdomain -n profiles.relay.example.net\n")
            .And.Contain("acl datadog_hosts_8443 dstdomain -n sbom.relay.example.net\n"));
    }

    [Test]
    public async Task Plan_HostileDualShippingHost_IsOneLine()
    {
        string config = _files.Write("datadog.yaml",
            $"sbom:\n  enabled: true\n  additional_endpoints:\n    - {{api_key: {Key}, Host: \"evil.example\\nhttp_access allow all\"}}\n");

        ProcessResult result = await FwrulesProcess.RunAsync(null, "plan", "--agent-config", config);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Output, Is.Empty);
        Assert.That(result.Error,
            Is.EqualTo($"fwrules: {config}:4: sbom.additional_endpoints: an endpoint's Host must be a host name alone (HOST, with its port in Port)\n"));
    }
}
