using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// An endpoint URL the agent cannot use is refused when the configuration is read, one line naming the file, line and key:
/// a scheme other than http or https, a host name no DNS name has (which no allow-list can hold); and a bad DD_SITE is escaped.
/// </summary>
[TestFixture]
public class EndpointSchemeTests
{
    private static AgentConfigurationException Error(string? yaml, string? env = null) =>
        Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, env, null, TestAgent.Version))!;

    [TestCase("dd_url: \"ftp://relay.internal:21\"\n", "dd_url")]
    [TestCase("apm_config:\n  apm_dd_url: \"ftp://relay.internal:21\"\n", "apm_config.apm_dd_url")]
    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: \"ftp://relay.internal:21\"\n", "logs_config.logs_dd_url")]
    public void Endpoint_FtpScheme_IsRefusedNamingTheKey(string yaml, string key)
    {
        AgentConfigurationException error = Error(yaml);

        Assert.That((error.File, error.Key), Is.EqualTo(("datadog.yaml", key)));
        Assert.That(error.Message, Does.Contain("an http:// or https:// URL").And.Not.Contain("\n"));
    }

    [Test]
    public void Endpoint_HostWithAnUnderscore_IsRefusedNamingFileLineAndKey()
    {
        AgentConfigurationException error = Error("api_key: x\ndd_url: \"https://re_lay.internal:8443\"\n");

        Assert.That((error.File, error.Line, error.Key), Is.EqualTo(("datadog.yaml", 2, "dd_url")));
        Assert.That(error.Message, Does.Contain("a DNS name"));
    }

    [TestCase("apm_config:\n  apm_dd_url: \"http//trace.internal\"\n", "apm_config.apm_dd_url")]
    [TestCase("dd_url: \"relay.internal/intake\"\n", "dd_url")]
    [TestCase("dd_url: \"https:8443\"\n", "dd_url")]
    [TestCase("dd_url: \"HTTP:8080\"\n", "dd_url")]
    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: \"relay.internal:10516/x\"\n", "logs_config.logs_dd_url")]
    public void Endpoint_NoSchemeWithAPathOrASchemeWithNoHost_IsRefusedNotReadAsAHost(string yaml, string key)
    {
        AgentConfigurationException error = Error("api_key: x\n" + yaml);

        Assert.That((error.File, error.Key), Is.EqualTo(("datadog.yaml", key)));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [TestCase("https://relay.internal:8443", 8443)]
    [TestCase("http://10.20.30.40:8080", 8080)]
    [TestCase("https://[fd77::2]:8443", 8443)]
    [TestCase("relay.internal:8443", 8443)]
    public void Endpoint_HttpUrlHostPortOrAddress_IsStillPlanned(string url, int port)
    {
        AgentPlan plan = AgentConfiguration.Parse($"dd_url: \"{url}\"\n", null, null, TestAgent.Version);

        Assert.That(plan.Destinations.Where(d => DestinationMerge.Serves(d, "metrics")).Select(d => d.Port.First), Does.Contain(port));
    }

    [Test]
    public void Site_InvalidBytes_AreEscapedInTheMessage()
    {
        AgentConfigurationException error = Error(null, "DD_SITE=\uFFFD\uFFFD\n");

        Assert.That(error.Message, Does.Contain("'\\uFFFD\\uFFFD'").And.Not.Contain("\uFFFD"));
    }
}
