using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Which destinations go through the agent's proxy, as its HTTP client picks one: by the URL's scheme, whatever the port
/// (GetProxyTransportFunc, pkg/util/http/transport.go); raw TCP (logs over TCP) never through an HTTP proxy.
/// </summary>
[TestFixture]
public class ProxyRoutingTests
{
    private const string Proxy = "proxy:\n  https: http://proxy.corp.example:3128\n";

    private static AgentDestination Single(AgentPlan plan, string feature, string host) =>
        plan.Destinations.Single(d => DestinationMerge.Serves(d, feature) && d.HostName == host);

    [Test]
    public void DdUrl_HttpsOnAPortOtherThan443_GoesThroughTheHttpsProxy()
    {
        AgentPlan plan = AgentConfiguration.Parse(Proxy + "dd_url: https://relay.internal:8443\n");

        AgentDestination relay = Single(plan, "metrics", "relay.internal");
        Assert.That(relay.Port.ToString(), Is.EqualTo("8443/tcp"));
        Assert.That(relay.Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy), "the agent picks proxy.https for every https:// URL");
        Assert.That(plan.Proxy!.HostName, Is.EqualTo("proxy.corp.example"));
    }

    [Test]
    public void AdditionalEndpointAndProcessUrl_OnOtherPorts_GoThroughTheHttpsProxy()
    {
        const string yaml = Proxy + "additional_endpoints:\n  \"https://dual.example:9443\":\n    - key\n"
            + "process_config:\n  process_collection:\n    enabled: true\n  process_dd_url: https://process-relay.example:7443\n";
        AgentPlan plan = AgentConfiguration.Parse(yaml);

        Assert.That(Single(plan, "metrics", "dual.example").Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
        Assert.That(Single(plan, "process", "process-relay.example").Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
    }

    [Test]
    public void LogsOverHttps_ToAHostPortOtherThan443_GoThroughTheHttpsProxy()
    {
        const string yaml = Proxy + "logs_enabled: true\nlogs_config:\n  force_use_http: true\n  logs_dd_url: agent-intake.logs.datadoghq.com:10516\n";
        AgentPlan plan = AgentConfiguration.Parse(yaml);

        AgentDestination logs = Single(plan, "logs", "agent-intake.logs.datadoghq.com");
        Assert.That(logs.Port.ToString(), Is.EqualTo("10516/tcp"));
        Assert.That(logs.Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy), "logs over HTTPS use the agent's HTTP client and its proxy");
    }

    [Test]
    public void LogsOverTcp_EvenOnPort443_GoDirect_AndSaySo()
    {
        const string yaml = Proxy + "site: datadoghq.eu\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\n";
        AgentPlan plan = AgentConfiguration.Parse(yaml);

        AgentDestination logs = Single(plan, "logs", "agent-intake.logs.datadoghq.eu");
        Assert.That(logs.Port.ToString(), Is.EqualTo("443/tcp"));
        Assert.That(logs.Coverage, Is.EqualTo(DestinationCoverage.PublishedRanges), "a raw TCP connection does not use proxy.https");
        Assert.That(plan.Sections, Does.Contain(Section.Logs));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("Logs over TCP do not use the HTTPS proxy").And.Some.Contains("socks5_proxy_address"));
    }

    [Test]
    public void NoProxy_IsComparedWithTheUrlsHostAndPort_AsTheAgentDoes()
    {
        const string url = "dd_url: https://relay.internal:8443\n";

        Assert.That(Single(AgentConfiguration.Parse(Proxy + "  no_proxy:\n    - relay.internal\n" + url), "metrics", "relay.internal").Coverage,
            Is.EqualTo(DestinationCoverage.ThroughProxy), "exact match compares url.Host, which holds the port the URL names");
        Assert.That(Single(AgentConfiguration.Parse(Proxy + "  no_proxy:\n    - relay.internal:8443\n" + url), "metrics", "relay.internal").Coverage,
            Is.EqualTo(DestinationCoverage.NotPublished));
        Assert.That(Single(AgentConfiguration.Parse(Proxy + "  no_proxy:\n    - internal\nno_proxy_nonexact_match: true\n" + url), "metrics", "relay.internal").Coverage,
            Is.EqualTo(DestinationCoverage.NotPublished), "non-exact: a domain matches its subdomains on any port");
        Assert.That(Single(AgentConfiguration.Parse(Proxy + "  no_proxy:\n    - relay.internal:9999\nno_proxy_nonexact_match: true\n" + url), "metrics", "relay.internal").Coverage,
            Is.EqualTo(DestinationCoverage.ThroughProxy), "non-exact: an entry with a port matches that port only");
    }

    [Test]
    public void PlainHttpUrl_GoesThroughTheHttpProxy_NotTheHttpsOne()
    {
        const string yaml = "proxy:\n  http: http://plain-proxy.example:8080\n  https: http://proxy.corp.example:3128\ndd_url: http://relay.internal:8080\n";
        AgentPlan plan = AgentConfiguration.Parse(yaml);

        Assert.That(Single(plan, "metrics", "relay.internal").Coverage, Is.EqualTo(DestinationCoverage.ThroughProxy));
        Assert.That(plan.Destinations.Where(d => d.Coverage == DestinationCoverage.Proxy).Select(d => $"{d.HostName} {d.Port}"),
            Is.EqualTo(new[] { "proxy.corp.example 3128/tcp", "plain-proxy.example 8080/tcp" }));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("plain HTTP traffic (http:// URLs) through the proxy plain-proxy.example:8080"));
    }
}
