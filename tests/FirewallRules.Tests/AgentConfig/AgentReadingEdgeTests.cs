using FirewallRules.AgentConfig;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// Readings an independent trial found wrong: notes that told a FIPS host or a HOST:PORT logs_dd_url what is not so, values the agent or
/// the chart never reads taken silently (a top-level securityAgent, a number as no_proxy, a NUL), a host with invisible characters after it
/// planned as the host before them, and credentials of a malformed check target shown in a note.
/// </summary>
[TestFixture]
public class AgentReadingEdgeTests
{
    private static AgentConfigurationException Refused(Func<AgentPlan> read) => Assert.Throws<AgentConfigurationException>(() => read())!;

    [Test]
    public void Fips_LogsStayOnHttp_SoNoTcpFallbackIsNoted()
    {
        // setupFipsEndpoints sets logs_config.use_http (pkg/config/setup/config.go): FIPS mode never falls back to TCP.
        AgentPlan plan = Plan("api_key: x\nfips:\n  enabled: true\nlogs_enabled: true\n", version: null);

        Assert.That(plan.Notes.Texts(), Has.None.Contains("falls back to TCP").And.None.Contains("force_use_http"));
    }

    [Test]
    public void LogsDdUrlHostAndPort_FallbackIsTheSameHostAndPort_WhichThesePlanned()
    {
        AgentPlan plan = Plan("api_key: x\nlogs_enabled: true\nlogs_config:\n  logs_dd_url: relay.corp.example:10516\n", version: null);

        Assert.That(plan.Destinations.Select(d => $"{d.HostName} {d.Port}"), Does.Contain("relay.corp.example 10516/tcp"));
        string note = plan.Notes.Texts().Single(n => n.Contains("falls back to TCP", StringComparison.Ordinal));
        Assert.That(note, Does.Not.Contain("these rules do not allow").And.Contain("the same host and port as planned"));
    }

    [Test]
    public void TopLevelSecurityAgent_InHelmValues_IsSaidToBeUnread()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "datadog:\n  site: datadoghq.eu\nsecurityAgent:\n  runtime:\n    enabled: true\n");

        Assert.That(plan.Notes.Texts(), Has.One.Contains("securityAgent is a top-level key here; the chart reads datadog.securityAgent"));
        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.StartsWith("runtime-security-http-intake"));
    }

    [TestCase("proxy:\n  no_proxy: 5\n")]
    [TestCase("proxy:\n  https: http://proxy.corp.example:3128\n  no_proxy: {a: b}\n")]
    public void NoProxy_NotAList_IsRefused_WithOrWithoutAProxy(string config)
    {
        Assert.That(Refused(() => Plan("api_key: x\n" + config, version: null)).Message, Does.Contain("proxy.no_proxy: must be a list"));
    }

    [TestCase("\\u202E")]
    [TestCase("\\u200F")]
    [TestCase("\\t")]
    [TestCase("\\u0085")]
    [TestCase("\\u202Eevil")]
    public void Host_WithInvisibleOrControlCharactersAfterIt_IsRefused_NotPlannedAsTheHostBefore(string after)
    {
        AgentConfigurationException error = Refused(() => Plan("api_key: x\n" + $"dd_url: \"https://relay.corp.example{after}\"\n", version: null));

        Assert.That(error.Message, Does.StartWith("datadog.yaml:2: dd_url: must be a URL"));
    }

    [TestCase("datadog:\n  site: datadoghq.eu\n  env:\n    - name: DD_HOSTNAME\n      value: \"node\\0one\"\n", "values.yaml:5")]
    [TestCase("datadog:\n  site: datadoghq.eu\n  clusterName: \"a\\0b\"\n", "values.yaml:3")]
    public void Nul_InHelmValues_IsRefused(string values, string where)
    {
        AgentConfigurationException error = Refused(() => AgentConfiguration.Parse(null, null, values));

        Assert.That(error.Message, Does.StartWith(where).And.Contain("a NUL character"));
    }

    [TestCase("site: datadoghq.eu\n\0", "datadog.yaml:3")]
    [TestCase("site: datadoghq.eu\n# the end \0", "datadog.yaml:3")]
    [TestCase("site: datadoghq.eu # a comment \0\n", "datadog.yaml:2")]
    [TestCase("site: datadoghq.eu\n\0\nlogs_enabled: true\n", "datadog.yaml:3")]
    public void RawNul_AtTheEndOrInAComment_IsRefusedNamingItsLine_LikeEveryOtherNul(string config, string where)
    {
        AgentConfigurationException error = Refused(() => Plan("api_key: x\n" + config, version: null));

        Assert.That(error.Message, Does.StartWith(where).And.Contain("a NUL character"));
    }

    [Test]
    public void RawNul_InHelmValuesAndAManifest_IsRefused()
    {
        Assert.That(Refused(() => AgentConfiguration.Parse(null, null, "datadog:\n  site: datadoghq.eu\n\0")).Message,
            Does.StartWith("values.yaml:3").And.Contain("a NUL character"));
        Assert.That(Refused(() => AgentConfiguration.Parse(null, datadogAgent: "apiVersion: datadoghq.com/v2alpha1\nkind: DatadogAgent\n# \0\n")).Message,
            Does.Contain(":3").And.Contain("a NUL character"));
    }

    [Test]
    public void Agent6_KeySetTwice_TheLastWins_WhileAgent7RefusesIt()
    {
        // A Windows Agent 6 datadog.yaml (CRLF) setting site twice: yaml.v2 assigns each key in turn; Agent 7's library refuses or may read either.
        const string Config = "api_key: x\r\nsite: datadoghq.com\r\nlogs_config:\r\n  use_http: true\r\nsite: datadoghq.eu\r\n";

        Assert.That(AgentConfiguration.Parse(Config, agentVersion: "6.53.1").Site, Is.EqualTo(Site.EU1));
        Assert.That(() => AgentConfiguration.Parse(Config, agentVersion: "7.64.2"), Throws.TypeOf<AgentConfigurationException>().With.Message.Contains("set twice"));
    }

    [TestCase("AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI@db.example:27017", "mongo db.example:27017 ", "AKIA")]
    [TestCase("alice:pw@db.example", "mongo db.example ", "alice")]
    [TestCase("alice@db.example:notaport", null, "alice")]
    public async Task MalformedCheckTarget_NeverShowsItsCredentials(string entry, string? shown, string secret)
    {
        using var folder = new TempFiles();
        Directory.CreateDirectory(Path.Combine(folder.DirectoryPath, "conf.d", "mongo.d"));
        await File.WriteAllTextAsync(Path.Combine(folder.DirectoryPath, "datadog.yaml"), "api_key: x\n");
        await File.WriteAllTextAsync(Path.Combine(folder.DirectoryPath, "conf.d", "mongo.d", "conf.yaml"), $"instances:\n  - hosts: ['{entry}']\n");

        AgentPlan plan = await AgentConfiguration.ReadAsync(AgentConfigurationSources.FromDirectory(folder.DirectoryPath));

        Assert.That(plan.Notes.Texts(), Has.None.Contains(secret));
        Assert.That(plan.Notes.Texts().Where(n => n.Contains("mongo ", StringComparison.Ordinal)), shown is null ? Is.Empty : Has.One.Contains(shown));
    }
}
