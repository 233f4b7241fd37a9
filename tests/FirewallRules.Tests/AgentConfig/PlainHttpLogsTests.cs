using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Logs over plain HTTP (<c>logs_no_ssl</c>, an <c>http://</c> <c>logs_dd_url</c>) are planned as HTTP and reach Squid's include as
/// a proxied request, not a CONNECT; logs over TCP to a site without a TCP intake are noted (Datadog's network page: US1 and EU1 only).
/// </summary>
[TestFixture]
public class PlainHttpLogsTests
{
    private const string Relay = "logs_enabled: true\nlogs_config:\n  logs_dd_url: my-relay.internal.example:10514\n  logs_no_ssl: true\n  force_use_http: true\n" +
        "proxy:\n  http: http://proxy.corp.example:8080\n  https: http://proxy.corp.example:8080\n";

    private static AgentDestination Logs(AgentPlan plan) => plan.Destinations.Single(d => d.Feature == "logs");

    [Test]
    public void LogsNoSsl_RelayHostPort_IsPlannedAsLogsOverHttp()
    {
        AgentDestination logs = Logs(Plan(Relay));

        Assert.That((logs.HostName, logs.Port.First, logs.Purpose, logs.Scheme), Is.EqualTo(("my-relay.internal.example", 10514, "logs over HTTP", "http")));
    }

    [Test]
    public void LogsNoSsl_WithoutForceUseHttp_TheFallbackNoteSaysHttp()
    {
        AgentPlan plan = Plan("logs_enabled: true\nlogs_config:\n  logs_dd_url: relay.corp.example:8080\n  logs_no_ssl: true\n");

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("Logs go over HTTP (logs_no_ssl); without logs_config.force_use_http the agent falls back to TCP"));
    }

    [TestCase("http://my-relay.internal.example:10514", "http")]
    [TestCase("https://my-relay.internal.example:10514", "https")]
    public void LogsDdUrl_WithAScheme_TheSchemeDecides_OverLogsNoSsl(string url, string scheme)
    {
        AgentDestination logs = Logs(Plan($"logs_enabled: true\nlogs_config:\n  logs_dd_url: {url}\n  logs_no_ssl: {(scheme == "https").ToString().ToLowerInvariant()}\n" +
            "  force_use_http: true\n"));

        Assert.That(logs.Scheme, Is.EqualTo(scheme));
    }

    [Test]
    public void LogsOverHttps_Default_StaysHttps()
    {
        AgentDestination logs = Logs(Plan("logs_enabled: true\nlogs_config:\n  force_use_http: true\n"));

        Assert.That((logs.Purpose, logs.Scheme), Is.EqualTo(("logs over HTTPS", "https")));
    }

    [Test]
    public void Squid_PlainHttpRelay_AllowedWithoutConnect_PortSafeNotSsl()
    {
        string[] lines = PlanRules.ByName(Plan(Relay)).Render(EmitterRegistry.Default.Create("squid")).Split('\n');

        Assert.That(lines, Does.Contain("acl datadog_port_10514 port 10514").And.Contain("acl datadog_http_hosts_10514 dstdomain -n my-relay.internal.example")
            .And.Contain("http_access allow !datadog_connect datadog_port_10514 datadog_http_hosts_10514 !datadog_special_dst"));
        Assert.That(lines.Where(l => !l.StartsWith('#')), Has.None.Contains("SSL_ports").And.None.Contains("Safe_ports"), "no shared acl is widened");
        Assert.That(lines, Does.Not.Contain("acl SSL_ports port 10514")
            .And.Not.Contain("http_access allow datadog_connect datadog_port_10514 datadog_hosts_10514 !datadog_special_dst"));
    }

    [TestCase("us3.datadoghq.com", true)]
    [TestCase("us5.datadoghq.com", true)]
    [TestCase("ap1.datadoghq.com", true)]
    [TestCase("ddog-gov.com", true)]
    [TestCase("datadoghq.com", false)]
    [TestCase("datadoghq.eu", false)]
    public void LogsOverTcp_SiteWithoutATcpIntake_IsNoted(string site, bool noted)
    {
        AgentPlan plan = Plan($"site: {site}\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\n");

        Assert.That(plan.Notes.Texts().Any(n => n.Contains("no TCP logs intake", StringComparison.Ordinal)), Is.EqualTo(noted), string.Join('\n', plan.Notes.Texts()));
    }

    [TestCase("us3.datadoghq.com", "US3")]
    [TestCase("ddog-gov.com", "US1-FED")]
    public void LogsOverHttps_OnASiteWithoutATcpIntake_TheFallbackNoteSaysSo(string site, string name)
    {
        string fallback = Plan($"site: {site}\nlogs_enabled: true\n").Notes.Texts().Single(n => n.Contains("falls back to TCP", StringComparison.Ordinal));

        Assert.That(fallback, Does.EndWith($"fails at start-up, where Datadog offers no TCP intake for {name} (TCP is documented for US1 and EU1 only): " +
            "set logs_config.force_use_http: true so that logs stay on HTTPS."));
    }

    [TestCase("datadoghq.com", "agent-intake.logs.datadoghq.com (10516/tcp)")]
    [TestCase("datadoghq.eu", "agent-intake.logs.datadoghq.eu (443/tcp)")]
    public void LogsOverHttps_OnASiteWithATcpIntake_TheFallbackNoteNamesIt(string site, string intake)
    {
        string fallback = Plan($"site: {site}\nlogs_enabled: true\n").Notes.Texts().Single(n => n.Contains("falls back to TCP", StringComparison.Ordinal));

        Assert.That(fallback, Does.Contain($"to {intake}, when HTTPS fails at start-up, which these rules do not allow."));
    }

    [Test]
    public void LogsOverTcp_ToARelay_IsNotNoted()
    {
        AgentPlan plan = Plan("site: us3.datadoghq.com\nlogs_enabled: true\nlogs_config:\n  force_use_tcp: true\n  logs_dd_url: relay.internal:10516\n");

        Assert.That(plan.Notes.Texts(), Has.None.Contains("no TCP logs intake"));
    }
}
