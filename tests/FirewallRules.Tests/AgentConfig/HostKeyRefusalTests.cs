using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Every key the planners read a host from refuses, when the configuration is read, a host no allow-list can hold (an
/// underscore), in one line naming the key: URL keys, the keys of URL maps, the Host of {Host, Port} lists, statsd_forward_host.
/// </summary>
[TestFixture]
public class HostKeyRefusalTests
{
    private const string Bad = "bad_host.example.com";

    private static IEnumerable<TestCaseData> Keys() =>
        HostKeys.All.Select(k => new TestCaseData(k.Key, Value(k.Shape)).SetArgDisplayNames(k.Key));

    // The key's value with a bad host, in the key's own shape, as flow YAML.
    private static string Value(HostShape shape) => shape switch
    {
        HostShape.Url => $"\"https://{Bad}:8443\"",
        HostShape.UrlMap => $"{{\"https://{Bad}\": [\"k\"]}}",
        HostShape.HostList => $"[{{api_key: k, Host: {Bad}, Port: 443}}]",
        HostShape.DomainMap => $"{{\"{Bad}\": [\"k\"]}}",
        _ => Bad,
    };

    // A dotted key as nested YAML: a.b.c: v.
    private static string Yaml(string key, string value)
    {
        string[] parts = key.Split('.');
        return string.Concat(parts.Select((part, i) => new string(' ', 2 * i) + part + ":" + (i == parts.Length - 1 ? $" {value}\n" : "\n")));
    }

    [TestCaseSource(nameof(Keys))]
    public void HostKey_UnderscoreHost_IsRefusedNamingTheKey(string key, string value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse("api_key: x\n" + Yaml(key, value), null, null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Message, Does.StartWith("datadog.yaml:").And.Contain(key).And.Not.Contain("\n"));
    }

    [Test]
    public void HostKeys_HoldEveryMappedKeyThatNamesADestination()
    {
        // Bind addresses of listeners, not destinations (ListenerPlanner).
        string[] listeners = ["cmd_host", "bind_host", "network_devices.snmp_traps.bind_host", "otlp_config.receiver.protocols.grpc.endpoint",
            "otlp_config.receiver.protocols.http.endpoint"];
        string[] suffixes = ["dd_url", "additional_endpoints", "_host", ".url", ".endpoint"];
        string[] carrying = [.. AgentKeys.Mapped.Where(k => suffixes.Any(s => k.EndsWith(s, StringComparison.Ordinal))).Except(listeners)];

        Assert.That(carrying, Is.SubsetOf(HostKeys.All.Select(k => k.Key)));
        Assert.That(carrying, Does.Contain("statsd_forward_host").And.Contain("logs_config.additional_endpoints").And.Contain("additional_endpoints"));
    }

    [TestCase("additional_endpoints:\n  \"https://bad_host.example.com\": [k]\n", "additional_endpoints")]
    [TestCase("apm_config:\n  additional_endpoints:\n    \"https://bad_host.example.com\": [k]\n", "apm_config.additional_endpoints")]
    [TestCase("process_config:\n  additional_endpoints:\n    \"https://bad_host.example.com\": [k]\n", "process_config.additional_endpoints")]
    [TestCase("logs_enabled: true\nlogs_config:\n  additional_endpoints: [{api_key: k, Host: bad_host.example.com, Port: 443}]\n",
        "logs_config.additional_endpoints")]
    [TestCase("statsd_forward_host: bad_host.example.com\nstatsd_forward_port: 8125\n", "statsd_forward_host")]
    [TestCase("proxy:\n  https: http://user:hunter2@pr_oxy.corp:3128\n", "proxy.https")]
    public void EnabledFeature_UnderscoreHost_IsRefusedNamingTheKey(string yaml, string key)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, null, null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Message, Does.Contain("DNS name").And.Not.Contain("\n").And.Not.Contain("hunter2"));
    }

    [Test]
    public void AdditionalEndpoints_FromTheEnvironment_UnderscoreHost_IsRefusedNamingTheVariable()
    {
        var error = Assert.Throws<AgentConfigurationException>(() =>
            AgentConfiguration.Parse(null, "DD_APM_ADDITIONAL_ENDPOINTS={\"https://bad_host.example.com\": [\"k\"]}\n", null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo("DD_APM_ADDITIONAL_ENDPOINTS"));
    }

    // .NET reads these as 10.0.0.1 (the plan said 10.0.0.1); the agent's Go resolver reads them as names to look up.
    [TestCase("dd_url: https://10.1:8443\n", "dd_url", "its address in full")]
    [TestCase("dd_url: https://167772161\n", "dd_url", "its address in full")]
    [TestCase("apm_config:\n  apm_dd_url: http://0x0a000001:8126\n", "apm_config.apm_dd_url", "its address in full")]
    [TestCase("logs_enabled: true\nlogs_config:\n  logs_dd_url: 10.0.0.01:10516\n", "logs_config.logs_dd_url", "its address in full")]
    [TestCase("statsd_forward_host: 10.1\nstatsd_forward_port: 8125\n", "statsd_forward_host", "a host alone")]
    [TestCase("logs_enabled: true\nlogs_config:\n  additional_endpoints: [{api_key: k, Host: 10.1, Port: 443}]\n", "logs_config.additional_endpoints",
        "an endpoint's Host must be")]
    [TestCase("statsd_forward_host: fe80::1%eth0\nstatsd_forward_port: 8125\n", "statsd_forward_host", "a host alone")]
    [TestCase("dd_url: https://[fe80::1%25eth0]:8443\n", "dd_url", "its address in full")]
    public void AddressInAShortFormOrWithAZone_IsRefusedNamingTheKey(string yaml, string key, string said)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, null, null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Message, Does.Contain(said).And.Not.Contain("\n"));
    }

    [TestCase("statsd_forward_host: 10.1.2.3\nstatsd_forward_port: 8125\n")]
    [TestCase("statsd_forward_host: statsd.internal\nstatsd_forward_port: 8125\n")]
    [TestCase("statsd_forward_host: \"\"\n")]
    [TestCase("additional_endpoints:\n  \"https://[fd00::1]:8443\": [k]\n")]
    [TestCase("proxy:\n  https: http://user:p%40ss@[fd00::9]:3128\n")]
    [TestCase("apm_config:\n  apm_dd_url: https://[fd00::9]:8443/a%20b\n")]
    public void AddressOrDnsName_IsStillAccepted(string yaml)
    {
        Assert.DoesNotThrow(() => AgentConfiguration.Parse(yaml, null, null, TestAgent.Version));
    }

    // IsLocalAddress (pkg/config/setup): the agent serves its IPC API on localhost or a loopback address, and refuses any other.
    [TestCase("0.0.0.0")]
    [TestCase("10.0.0.5")]
    [TestCase("agent.example.com")]
    [TestCase("127.1")]
    public void CmdHost_NotLoopback_IsRefused(string host)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse($"cmd_host: {host}\n", null, null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo("cmd_host"));
        Assert.That(error.Message, Does.Contain("loopback"));
    }

    [TestCase("localhost")]
    [TestCase("127.0.0.1")]
    [TestCase("127.0.0.2")]
    [TestCase("::1")]
    public void CmdHost_Loopback_IsTheIpcListenersBind(string host)
    {
        AgentPlan plan = AgentConfiguration.Parse($"cmd_host: \"{host}\"\n", null, null, TestAgent.Version);

        Assert.That(plan.Listeners.Single(l => l.Feature == "ipc").BindAddress, Is.EqualTo(host));
    }

    // Each listener makes its address as its code does (BindForm): a value with which it starts no listener, or listens on
    // other addresses than written, is refused.
    [TestCase("bind_host: \"0.0.0.0 127.0.0.1\"\n", null, "bind_host", "with no brackets or spaces")]
    [TestCase("bind_host: \"[::1]\"\n", null, "bind_host", "with no brackets or spaces")]
    [TestCase("bind_host: \" 127.0.0.1\"\n", null, "bind_host", "with no brackets or spaces")]
    [TestCase(null, "DD_BIND_HOST={a: b}\n", "DD_BIND_HOST", "with no brackets or spaces")]
    [TestCase(null, "DD_BIND_HOST=\t127.0.0.1\0", "DD_BIND_HOST", "with no brackets or spaces")]
    [TestCase("network_devices:\n  snmp_traps:\n    enabled: true\n    bind_host: \"0.0.0.0,10.0.0.1\"\n", null, "network_devices.snmp_traps.bind_host",
        "an IPv6 address in brackets")]
    [TestCase("network_devices:\n  snmp_traps:\n    enabled: true\n    bind_host: \"::\"\n", null, "network_devices.snmp_traps.bind_host", "an IPv6 address in brackets")]
    [TestCase("network_devices:\n  netflow:\n    enabled: true\n    listeners:\n      - flow_type: netflow9\n        bind_host: \"eth0 :2055\"\n", null,
        "network_devices.netflow.listeners[].bind_host", "an IP address to listen on")]
    [TestCase("network_devices:\n  netflow:\n    enabled: true\n    listeners:\n      - flow_type: netflow9\n        bind_host: localhost\n", null,
        "network_devices.netflow.listeners[].bind_host", "listens on every address for a host name")]
    public void BindHost_NotAsTheListenerTakesIt_IsRefused(string? yaml, string? environment, string key, string rule)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, environment, null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Message, Does.Contain("to listen on").And.Contain(rule));
    }

    [TestCase("bind_host: \"::\"\n", "dogstatsd", "::", false)]
    [TestCase("bind_host: 0.0.0.0\n", "apm", "0.0.0.0", false)]
    [TestCase("bind_host: agent.internal\n", "dogstatsd", "agent.internal", false)]
    [TestCase("bind_host: localhost.\n", "dogstatsd", "localhost.", true)]
    [TestCase("bind_host: \"\"\n", "dogstatsd", "0.0.0.0", false)]
    [TestCase("bind_host: \"\"\n", "apm", "0.0.0.0", false)]
    [TestCase("bind_host: ~\n", "apm", "localhost", true)]
    [TestCase("network_devices:\n  snmp_traps:\n    enabled: true\n    bind_host: 10.0.0.7\n", "snmp-traps", "10.0.0.7", false)]
    [TestCase("network_devices:\n  snmp_traps:\n    enabled: true\n    bind_host: \"[::1]\"\n", "snmp-traps", "[::1]", true)]
    [TestCase("network_devices:\n  netflow:\n    enabled: true\n    listeners:\n      - flow_type: sflow5\n        bind_host: 10.0.0.8\n", "netflow-sflow5", "10.0.0.8", false)]
    [TestCase("network_devices:\n  netflow:\n    enabled: true\n    listeners:\n      - flow_type: sflow5\n        bind_host: \"::1\"\n", "netflow-sflow5", "::1", true)]
    public void BindHost_AsTheListenerTakesIt_IsTheListenersBind(string yaml, string feature, string bind, bool local)
    {
        AgentPlan plan = AgentConfiguration.Parse(yaml, null, null, TestAgent.Version);

        Assert.That(plan.Listeners.Single(l => l.Feature == feature) is { } listener && listener.BindAddress == bind && listener.IsLocalOnly == local, Is.True,
            string.Join(", ", plan.Listeners));
    }
}
