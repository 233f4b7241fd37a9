using FirewallRules.AgentConfig;
using static FirewallRules.Tests.Support.TestAgent;

namespace FirewallRules.Tests.AgentConfig;

[TestFixture]
public class AgentEnvironmentTests
{
    [Test]
    public void Environment_OverridesTheFile_ThroughTheAgentsBindingTable()
    {
        const string yaml = "site: datadoghq.com\napm_config:\n  enabled: false\nlogs_enabled: false\n";
        AgentPlan plan = Plan(yaml, "DD_APM_ENABLED=true\nDD_LOGS_ENABLED=true\nDD_SITE=datadoghq.eu\n", version: null);

        Assert.That(plan.Site, Is.EqualTo(Site.EU1));
        Assert.That(plan.Sections, Does.Contain(Section.Apm).And.Contain(Section.Logs));
    }

    [Test]
    public void Environment_VariablesThatDoNotFollowTheYamlPath()
    {
        const string off = "process_config:\n  container_collection:\n    enabled: false\n  process_discovery:\n    enabled: false\n";

        Assert.That(Plan(off, null, version: null).Sections, Does.Not.Contain(Section.Process));
        Assert.That(Plan(off, "DD_PROCESS_AGENT_ENABLED=true", version: null).Sections, Does.Contain(Section.Process), "DD_PROCESS_AGENT_ENABLED sets process_config.enabled");
        Assert.That(Plan(off, "DD_PROCESS_AGENT_PROCESS_COLLECTION_ENABLED=true", version: null).Sections, Does.Contain(Section.Process));
        Assert.That(Plan(off, "DD_SYSTEM_PROBE_NETWORK_ENABLED=true", version: null).Sections, Does.Contain(Section.Process));
        Assert.That(Plan(null, "DD_RECEIVER_PORT=9126", version: null).Listeners.Single(l => l.Feature == "apm").Port.First, Is.EqualTo(9126));
    }

    [Test]
    public void Environment_DdDdUrl_WinsOverDdUrl_AndEmptyVariablesCountAsUnset()
    {
        AgentPlan plan = Plan("dd_url: https://from-file.example\n", "DD_URL=https://second.example\nDD_DD_URL=https://first.example\n", version: null);
        Assert.That(plan.Destinations.First(d => DestinationMerge.Serves(d, "metrics")).HostName, Is.EqualTo("first.example"));

        Assert.That(Plan("logs_enabled: true\n", "DD_LOGS_ENABLED=\n", version: null).Sections, Does.Contain(Section.Logs));
    }

    [Test]
    public void Environment_ProcEnvironForm_IsNulSeparated()
    {
        string environ = "PATH=/usr/bin\0DD_LOGS_ENABLED=true\0DD_LOGS_CONFIG_FORCE_USE_TCP=true\0DD_API_KEY=0123456789abcdef\0";

        Assert.That(AgentConfigurationTests.Hosts(Plan(null, environ, version: null), "logs"), Is.EqualTo(new[] { "agent-intake.logs.datadoghq.com 10516/tcp" }));
    }

    [Test]
    public void Environment_FileForms_CommentsExportAndQuotes()
    {
        const string env = "# the agent's unit\n\nexport DD_SITE=\"us3.datadoghq.com\"\nDD_LOGS_ENABLED='true'\r\n";

        AgentPlan plan = Plan(null, env, version: null);
        Assert.That((plan.Site, plan.Sections.Contains(Section.Logs)), Is.EqualTo((Site.US3, true)));
    }

    [Test]
    public void Environment_DoubleQuotedJsonWithEscapedQuotes_IsReadAsSystemdReadsIt()
    {
        const string env = "# dual shipping\nDD_SITE=datadoghq.com\nDD_ADDITIONAL_ENDPOINTS=\"{\\\"https://app.datadoghq.eu\\\": [\\\"k\\\"]}\"\n";

        AgentPlan plan = Plan(null, env, version: null);

        Assert.That(plan.Destinations.Where(d => DestinationMerge.Serves(d, "metrics")).Select(d => (d.Site, d.Port.First)), Does.Contain(((Site?)Site.EU1, 443)));
    }

    [Test]
    public void Proxy_InTheFile_IsWhatTheFirewallAllows_WithoutItsCredentials()
    {
        const string yaml = "proxy:\n  https: http://svc-user:hunter2-secret@proxy.corp.example:3128\n  no_proxy:\n    - config.datadoghq.com.\n";
        AgentPlan plan = Plan(yaml, null, version: null);

        Assert.That(plan.Proxy, Is.Not.Null);
        Assert.That($"{plan.Proxy!.HostName} {plan.Proxy.Port}", Is.EqualTo("proxy.corp.example 3128/tcp"));
        Assert.That(plan.Destinations.Where(d => d.Feature is "metrics" or "apm" or "process").Select(d => d.Coverage), Is.All.EqualTo(DestinationCoverage.ThroughProxy));
        Assert.That(plan.Destinations.Where(d => d.Feature == "remote-configuration").Select(d => $"{d.Port} {d.Coverage}"),
            Is.EqualTo(new[] { "443/tcp PublishedRanges", "8042/tcp ThroughProxy" }),
            "no_proxy keeps 443 direct; the agent matches a plain entry against host:8042 exactly, so 8042 goes through the proxy");
        Assert.That(plan.Sections, Is.EqualTo(new[] { Section.RemoteConfiguration }));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("proxy.corp.example:3128"));
        Assert.That(string.Join("\n", plan.Notes.Texts().Concat(plan.Destinations.Select(d => d.ToString()))), Does.Not.Contain("hunter2").And.Not.Contain("svc-user"));
    }

    [Test]
    public void Proxy_StandardVariables_OverrideTheFile_AndDdProxyOverridesThem()
    {
        const string yaml = "proxy:\n  https: http://file-proxy.example:3128\n";

        Assert.That(Plan(yaml, "HTTPS_PROXY=http://env-proxy.example:8080", version: null).Proxy!.HostName, Is.EqualTo("env-proxy.example"));
        Assert.That(Plan(yaml, "https_proxy=http://lower.example:8080\nDD_PROXY_HTTPS=http://dd-proxy.example:9000", version: null).Proxy!.HostName,
            Is.EqualTo("dd-proxy.example"));
        Assert.That(Plan(null, "HTTPS_PROXY=http://env-proxy.example:8080\nNO_PROXY=trace.agent.datadoghq.com.,other", version: null).Sections, Is.EqualTo(new[] { Section.Apm }));
    }

    [Test]
    public void Proxy_HttpOnly_GoesDirect_AndSaysSo()
    {
        AgentPlan plan = Plan("proxy:\n  http: http://proxy.example:3128\n", null, version: null);

        Assert.That(plan.Proxy, Is.Null);
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("proxy.http is set but the agent's traffic is HTTPS"));
    }

    // Go's os.Getenv takes a process's first DD_BIND_HOST; systemd's EnvironmentFile keeps its last line.
    [TestCase("DD_API_KEY=x\0DD_BIND_HOST=0.0.0.0\0DD_BIND_HOST=127.0.0.1\0", "0.0.0.0")]
    [TestCase("DD_API_KEY=x\nDD_BIND_HOST=0.0.0.0\nDD_BIND_HOST=127.0.0.1\n", "127.0.0.1")]
    public void Environment_AVariableGivenTwice_IsReadAsItsFormReadsIt(string environment, string bind)
    {
        Assert.That(Plan(null, environment, version: null).Listeners.Single(l => l.Feature == "dogstatsd").BindAddress, Is.EqualTo(bind));
    }

    // additional-env-entries writes an env entry's value only where the template takes it as true: false leaves the variable
    // empty, which the agent reads as unset (Remote Configuration stays on, the agent's default from 7.47). An envDict's value is
    // quoted as it is (additional-env-dict-entries): false is the text "false".
    [TestCase("env:\n    - name: DD_REMOTE_CONFIGURATION_ENABLED\n      value: false\n", true)]
    [TestCase("env:\n    - name: DD_REMOTE_CONFIGURATION_ENABLED\n      value: \"\"\n", true)]
    [TestCase("env:\n    - name: DD_REMOTE_CONFIGURATION_ENABLED\n      value: \"false\"\n", false)]
    [TestCase("envDict:\n    DD_REMOTE_CONFIGURATION_ENABLED: false\n", false)]
    [TestCase("envDict:\n    DD_REMOTE_CONFIGURATION_ENABLED: 0\n", false)]
    [TestCase("envDict:\n    DD_REMOTE_CONFIGURATION_ENABLED: \"\"\n", true)]
    public void Helm_EnvValueTheTemplateTakesAsFalse_IsEmptyInAnEnvListAndTextInAnEnvDict(string values, bool planned)
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "datadog:\n  " + values, TestAgent.Version);

        Assert.That(plan.Destinations.Any(d => d.HostName == "config.datadoghq.com"), Is.EqualTo(planned));
    }

    [Test]
    public void Helm_ChartValues_AreTheAgentsEnvironment()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, File.ReadAllText(TestData.Path_("agent", "helm-values.yaml")));

        Assert.That(plan.IsKubernetes, Is.True);
        Assert.That(plan.AgentVersion, Is.EqualTo("7.29.0"), "agents.image.tag");
        Assert.That(plan.Sections, Is.EqualTo(new[] { Section.Agents, Section.Process, Section.Orchestrator }),
            "APM and logs are off in the chart's defaults; Agent 7.29 has no Remote Configuration, which the chart turns on");
        Assert.That(plan.Listeners.Single(l => l.Feature == "dogstatsd").IsLocalOnly, Is.False, "datadog.dogstatsd.nonLocalTraffic: true");
        Assert.That(plan.Destinations.Where(d => d.Coverage == DestinationCoverage.Cluster).Select(d => $"{d.Feature} {d.Port}"),
            Is.EqualTo(new[] { "kubelet 10250/tcp", "dns 53/udp", "dns 53/tcp" }), "the chart's Cluster Agent serves the node agents: no API server");
    }

    [Test]
    public void Helm_ClusterAgentTurnedOff_TheNodeAgentsNeedTheApiServer()
    {
        AgentPlan plan = AgentConfiguration.Parse(null, null, "clusterAgent:\n  enabled: false\n");

        Assert.That(plan.Destinations.Where(d => DestinationMerge.Serves(d, "kube-apiserver")).Select(d => d.Port.ToString()), Is.EqualTo(new[] { "443/tcp", "6443/tcp" }));
        Assert.That(AgentConfiguration.Parse(null, null, "clusterAgent:\n  enabled: true\n").Destinations.Select(d => d.Feature), Does.Not.Contain("kube-apiserver"));
        Assert.That(AgentConfiguration.Parse(null, null, "datadog:\n  site: datadoghq.com\n").Destinations.Select(d => d.Feature),
            Does.Not.Contain("kube-apiserver").And.Contain("kubelet").And.Contain("ntp"), "the chart's default: a Cluster Agent");
    }

    // datadog.env comes before the chart's own DD_LOGS_ENABLED in the agent container; agents.containers.agent.env after it (_container-agent.yaml).
    [Test]
    public void Helm_DatadogEnvLosesToTheChartsLaterVariables_TheAgentContainersEnvAndTheEnvFileWin()
    {
        const string values = "datadog:\n  logs:\n    enabled: false\n  env:\n    - name: DD_LOGS_ENABLED\n      value: \"true\"\n  apm:\n    portEnabled: true\n";
        const string container = "agents:\n  containers:\n    agent:\n      env:\n        - name: DD_LOGS_ENABLED\n          value: \"true\"\n";

        Assert.That(AgentConfiguration.Parse(null, null, values).Sections, Does.Not.Contain(Section.Logs).And.Contain(Section.Apm));
        Assert.That(AgentConfiguration.Parse(null, null, values + container).Sections, Does.Contain(Section.Logs));
        Assert.That(AgentConfiguration.Parse(null, "DD_LOGS_ENABLED=true", values).Sections, Does.Contain(Section.Logs));
    }
}
