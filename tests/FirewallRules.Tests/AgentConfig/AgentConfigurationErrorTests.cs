using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

[TestFixture]
public class AgentConfigurationErrorTests
{
    private static AgentConfigurationException Error(string? yaml, string? env = null, string? helm = null, string? version = null) =>
        Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, env, helm, version))!;

    [Test]
    public void MalformedYaml_NamesTheFileAndLine()
    {
        AgentConfigurationException error = Error("site: datadoghq.com\napm_config:\n  enabled: [true\n");

        Assert.That(error.Message, Does.StartWith("datadog.yaml:"));
        Assert.That(error.Line, Is.GreaterThanOrEqualTo(3));
        Assert.That(error.Message, Does.Not.Contain("\n"));
    }

    [TestCase(null)]
    [TestCase("datadog:\n  apiKey: 0123456789abcdef0123456789abcdef\n  site: datadoghq.eu\n")]
    [TestCase("agents:\n  image:\n    tag: 7.60.0\nclusterAgent:\n  enabled: true\n")]
    [TestCase("targetSystem: linux\n")]
    [TestCase("clusterChecksRunner:\n  enabled: true\n")]
    [TestCase("otelAgentGateway:\n  enabled: true\n")]
    public void ChartValuesGivenAsDatadogYaml_RefusedNamingWhatTheFileIs(string? values)
    {
        AgentConfigurationException error = Error(values ?? File.ReadAllText(TestData.Path_("agent", "helm-values-3.240.0.yaml")));

        Assert.That(error.Message, Does.StartWith("datadog.yaml: this is the Datadog Helm chart's values").And.Contain("not an agent's datadog.yaml"));
    }

    [TestCase("api_key: x\nsite: datadoghq.eu\nlogs_enabled: true\n", "api_key")]
    [TestCase("site: datadoghq.eu\n", "site")]
    [TestCase("logs_config:\n  force_use_http: true\n", "logs_config")]
    public void AgentConfigGivenAsChartValues_RefusedNamingWhatTheFileIs(string yaml, string key)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(null, null, yaml))!;

        Assert.That(error.Message, Is.EqualTo($"values.yaml: this is an agent's datadog.yaml (a top-level {key}: key), not the Datadog Helm chart's values: " +
            "give it as the agent's configuration"));
    }

    [TestCase("site: datadoghq.eu.\n")]
    [TestCase("site: DatadogHQ.EU.\n")]
    public void Site_FullyQualifiedWithTrailingDot_IsThatSite(string yaml)
    {
        Assert.That(AgentConfiguration.Parse(yaml).Site.Domain, Is.EqualTo("datadoghq.eu"));
    }

    [Test]
    public void ChartValuesGivenAsChartValues_Planned()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, File.ReadAllText(TestData.Path_("agent", "helm-values-3.240.0.yaml")));

        Assert.That(plan.IsKubernetes, Is.True);
    }

    [Test]
    public void WrongType_NamesFileLineKeyAndValue()
    {
        AgentConfigurationException error = Error("site: datadoghq.com\nlogs_enabled: maybe\n");

        Assert.That(error.Message, Is.EqualTo("datadog.yaml:2: logs_enabled: must be true or false, not 'maybe'"));
        Assert.That((error.File, error.Line, error.Key), Is.EqualTo(("datadog.yaml", 2, "logs_enabled")));
    }

    [TestCase("api_key: abc\napm_config: true\n", "datadog.yaml:2: apm_config: must be a map of settings, not 'true'")]
    [TestCase("api_key: abc\nlogs_enabled: true\nlogs_config:\n  - use_http\n",
        "datadog.yaml:4: logs_config: must be a map of settings, not a list")]
    [TestCase("api_key: abc\nproxy: http://proxy.example:3128\n", "datadog.yaml:2: proxy: must be a map of settings")]
    public void WrongType_ASingleValueOrAListWhereAMapIsRead_IsRefused(string yaml, string message)
    {
        Assert.That(Error(yaml).Message, Is.EqualTo(message));
    }

    [TestCase("api_key: abc\nproxy:\n  https: http://proxy.example:3128\n  no_proxy: 5\n", "datadog.yaml:4: proxy.no_proxy: must be a list")]
    [TestCase("api_key: abc\nproxy:\n  https: http://proxy.example:3128\n  no_proxy: true\n", "datadog.yaml:4: proxy.no_proxy: must be a list")]
    [TestCase("api_key: abc\ncloud_provider_metadata: 0x1f\n", "datadog.yaml:2: cloud_provider_metadata: must be a list, not '0x1f'")]
    public void WrongType_ANumberOrBooleanWhereAListIsRead_IsRefused(string yaml, string message)
    {
        Assert.That(Error(yaml).Message, Is.EqualTo(message));
    }

    [Test]
    public void ListAsOneString_IsItsWords_AsTheAgentReadsIt()
    {
        AgentPlan plan = TestAgent.Plan(
            "api_key: abc\nlogs_enabled: true\nproxy:\n  https: http://proxy.example:3128\n  no_proxy: \"10.0.0.1 agent-http-intake.logs.datadoghq.com.\"\n", version: null);

        Assert.That(plan.Destinations.Single(d => d.HostName == "agent-http-intake.logs.datadoghq.com").PastProxy, Is.EqualTo("agent-http-intake.logs.datadoghq.com."));
    }

    [Test]
    public void ParentLeftEmpty_IsAnEmptyMap_AsTheAgentReadsIt()
    {
        Assert.That(TestAgent.Plan("api_key: abc\napm_config:\nlogs_config: ~\n", version: null).Sections, Does.Contain(Section.Apm));
    }

    [Test]
    public void WrongType_FromTheEnvironment_NamesTheVariable()
    {
        Assert.That(Error(null, "DD_SITE=datadoghq.com\nDD_APM_RECEIVER_PORT=eighty\n").Message,
            Is.EqualTo("environment:2: DD_APM_RECEIVER_PORT: must be a port number from 0 to 65535, not 'eighty'"));
    }

    [Test]
    public void EndpointThatIsNotAUrl_FromTheEnvironment_NamesTheVariablesLine()
    {
        Assert.That(Error(null, "DD_SITE=datadoghq.com\n\nDD_ADDITIONAL_ENDPOINTS=\"{\\\"https://relay.example.net:0\\\": [\\\"k\\\"]}\"\n").Message,
            Does.StartWith("environment:3: ").And.Contain("not a URL"));
    }

    [Test]
    public void PortBelowTheKeysLowest_NamesTheRangeTheKeyTakes()
    {
        Assert.That(Error("cmd_port: 0\n").Message, Is.EqualTo("datadog.yaml:1: cmd_port: must be a port number from 1 to 65535, not '0'"));
    }

    [Test]
    public void UnknownSite_IsRefused()
    {
        Assert.That(Error("site: datadoghq.moon\n").Message, Does.StartWith("datadog.yaml:1: site: unknown site 'datadoghq.moon': use one of datadoghq.com"));
    }

    [TestCase("site: eu1\n", "datadog.yaml:1: site: 'eu1' is not a domain: the agent would send to hosts under 'eu1'; write datadoghq.eu")]
    [TestCase("site: US5\n", "datadog.yaml:1: site: 'us5' is not a domain: the agent would send to hosts under 'us5'; write us5.datadoghq.com")]
    public void SiteNamedByThisToolsName_IsRefusedNamingItsDomain(string yaml, string message)
    {
        Assert.That(Error(yaml).Message, Is.EqualTo(message));
    }

    [TestCase("site: \"\"\n")]
    [TestCase("site: \"  \"\n")]
    public void SiteLeftBlank_IsTheAgentsDefault(string yaml)
    {
        Assert.That(TestAgent.Plan("api_key: abc\n" + yaml, version: null).Site, Is.EqualTo(Site.US1));
    }

    [Test]
    public void ContradictorySettings_AreRefused()
    {
        Assert.That(Error("cmd_port: 5000\n").Message, Does.Contain("expvar and ipc both listen on 5000/tcp"));
    }

    [TestCase("api_key: x\ncmd_port: 8126\n", 2, "cmd_port")]
    [TestCase("api_key: x\nhealth_port: 8126\n", 2, "health_port")]
    [TestCase("api_key: x\napm_config:\n  receiver_port: 5012\n", 3, "apm_config.receiver_port")]
    public void ListenersOnOnePort_NameTheKeyThatMovedOneThere(string yaml, int line, string key)
    {
        AgentConfigurationException error = Error(yaml);

        Assert.That((error.File, error.Line, error.Key), Is.EqualTo(("datadog.yaml", line, key)), error.Message);
    }

    [Test]
    public void Secrets_NeverAppearInAMessage()
    {
        Assert.That(Error("api_key: [not-a-string-but-abcdef0123456789]\nsite: x\n").Message, Does.Not.Contain("abcdef0123456789"));
        Assert.That(Error(null, "DD_API_KEY=abcdef0123456789\nthis line has the secret abcdef0123456789 and no equals\n").Message,
            Is.EqualTo("environment:2: this line is not KEY=VALUE"));
        Assert.That(Error("proxy:\n  https: \"http://user:s3cr3t@\"\n").Message, Does.Not.Contain("s3cr3t").And.Contain("proxy.https"));
        Assert.That(Error("api_key: 'abc\nsite: [\n").Message, Does.Not.Contain("abc"));
    }

    [Test]
    public void BadEnvironmentLine_InProcEnviron_NamesTheEntry()
    {
        Assert.That(Error(null, "DD_SITE=datadoghq.com\0garbage\0").Message, Is.EqualTo("environment: entry 2 is not KEY=VALUE"));
    }

    [Test]
    public void AgentVersion_OtherThan6Or7_IsRefused()
    {
        Assert.That(Error(null, version: "5.32.0").Message, Does.Contain("Agent 5 is not read"));
        Assert.That(Error(null, version: "newest").Message, Is.EqualTo("--agent-version: must be an Agent version such as 7.60.0, not 'newest'"), "latest floats");
    }

    [TestCase("07.080.00")]
    [TestCase("7.080.00")]
    public void HelmImageTag_WithALeadingZero_IsRefusedAsTheCommandLineRefusesIt(string tag)
    {
        // The chart compares tags as semantic versions, which have no leading zero; read as 7.80.0, the plan would name
        // hosts for a release the tag does not run.
        AgentConfigurationException error = Error(null, helm: $"agents:\n  image:\n    tag: \"{tag}\"\n");

        Assert.That(error.Message, Is.EqualTo($"values.yaml:3: agents.image.tag: must be an Agent version such as 7.60.0, not '{tag}'"));
    }

    [Test]
    public void HelmImageTag_AsBinary_IsRefusedNotReadAsItsBase64()
    {
        // !!binary 7.64.2: the chart's YAML decodes it; read as "Ny42NC4y", which names no version, the newest agent was planned.
        AgentConfigurationException error = Error(null, helm: "agents:\n  image:\n    tag: !!binary Ny42NC4y\n");

        Assert.That(error.Message, Is.EqualTo("values.yaml:3: a !!binary value is not read: write it as text"));
    }

    [TestCase("7.10", "7.1")]
    [TestCase("7.60", "7.6")]
    [TestCase("07.64", "7.64")]
    [TestCase("7.1e0", "7.1")]
    [TestCase("!!float 7.10", "7.1")]
    [TestCase("1e-5", "1e-05")]
    public void HelmImageTag_AsANumberHelmRendersOtherwise_IsRefusedWithTheQuotesThatKeepIt(string tag, string rendered)
    {
        // Helm reads values.yaml as YAML 1.1: a plain 7.10 is the number 7.1, the image the chart pulls; planned as 7.10.0 it was
        // an agent the cluster does not run.
        AgentConfigurationException error = Error(null, helm: $"agents:\n  image:\n    tag: {tag}\n");

        string written = tag.Replace("!!float ", string.Empty, StringComparison.Ordinal);
        Assert.That(error.Message,
            Is.EqualTo($"values.yaml:3: agents.image.tag: {written} is a number to Helm, which renders it {rendered} and pulls that image: quote it ('{written}')"));
    }

    [TestCase("tag: 7.64", "7.64.0")]
    [TestCase("tag: '7.10'", "7.10.0")]
    [TestCase("tag: \"7.60\"", "7.60.0")]
    [TestCase("tag: 7.64.2", "7.64.2")]
    [TestCase("tag: !!str 7.10", "7.10.0")]
    public void HelmImageTag_AsHelmRendersIt_IsTheVersionPlanned(string line, string version)
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, $"agents:\n  image:\n    {line}\n");

        Assert.That(plan.AgentVersion, Is.EqualTo(version));
        Assert.That(plan.Notes.Texts(), Has.None.Contains("the newest this tool knows"), "7.64 is not the newest agent");
    }

    [TestCase("site:\n  - datadoghq.eu\n", "datadog.yaml:3: site: must be a domain such as datadoghq.eu, not a list")]
    [TestCase("site:\n  eu: datadoghq.eu\n", "datadog.yaml:3: site: must be a domain such as datadoghq.eu, not a map")]
    [TestCase("cmd_host: [127.0.0.1]\n", "datadog.yaml:2: cmd_host: must be a string, not a list")]
    [TestCase("logs_enabled: true\nlogs_config:\n  force_use_tcp: true\n  socks5_proxy_address: [socks.example.com:1080]\n",
        "datadog.yaml:5: logs_config.socks5_proxy_address: must be a string, not a list")]
    [TestCase("orchestrator_explorer:\n  orchestrator_dd_url: {a: b}\n", "datadog.yaml:3: orchestrator_explorer.orchestrator_dd_url: must be a string, not a map")]
    public void SingleValue_GivenAsAListOrMap_IsRefusedNotReadAsUnset(string yaml, string message)
    {
        // The agent reads no string from a list: site fell back to datadoghq.com without a word, and cmd_host to localhost.
        AgentConfigurationException error = Error("api_key: x\n" + yaml);

        Assert.That(error.Message, Is.EqualTo(message));
    }

    [Test]
    public void HelmImageTag_Refused_IsQuotedTerminalSafe()
    {
        AgentConfigurationException error = Error(null, helm: "agents:\n  image:\n    tag: \"7.64.2-\\e\"\n");

        // The escape character shown as its code (\u001B, six characters), never sent to the terminal.
        Assert.That(error.Message, Is.EqualTo("values.yaml:3: agents.image.tag: must be an Agent version such as 7.60.0, not '7.64.2-\\u001B'"));
        Assert.That(error.Message.Contains('\u001b', StringComparison.Ordinal), Is.False);
    }

    [Test]
    public void HelmValue_OfTheWrongType_NamesTheChartKey()
    {
        AgentConfigurationException error = Error(null, helm: "datadog:\n  logs:\n    enabled: sometimes\n");

        Assert.That(error.Message, Is.EqualTo("values.yaml:3: datadog.logs.enabled: must be true or false, not 'sometimes'"));
    }
}
