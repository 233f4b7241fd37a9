using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// The chart's own values (data/agent/helm-values-3.240.0.yaml) with one key changed, read as its templates use them:
/// agents.customAgentConfig as the agents' datadog.yaml (datadog-yaml-configmap.yaml), envFrom references, Prometheus scraping,
/// an Observability Pipelines Worker set through the chart, the private action runners, the Datadog Operator subchart and the
/// cluster checks runners. Each is planned or named in a note, never dropped.
/// </summary>
[TestFixture]
public class HelmChartPartsTests
{
    private const string CustomConfig = "  customAgentConfig: {}\n";

    private static string ChartValues => File.ReadAllText(TestData.Path_("agent", "helm-values-3.240.0.yaml"));

    private static AgentPlan Helm(string values, string? config = null) => AgentConfiguration.Parse(config, null, values, TestAgent.Version);

    private static string[] Features(AgentPlan plan) => [.. plan.Destinations.Select(d => $"{d.Feature} {d.HostName} {d.Port}").Distinct()];

    // The chart's values with the first `old` after the comment that documents `key` replaced.
    private static string Set(string values, string key, string old, string replacement)
    {
        int at = values.IndexOf($"# {key} --", StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), key);
        int found = values.IndexOf(old, at, StringComparison.Ordinal);
        return values[..found] + replacement + values[(found + old.Length)..];
    }

    private static string WithCustomConfig(string body, bool useConfigMap = true)
    {
        string values = ChartValues.Replace(CustomConfig, "  customAgentConfig:\n" + body, StringComparison.Ordinal);
        return useConfigMap ? Set(values, "agents.useConfigMap", "useConfigMap:  # false", "useConfigMap: true") : values;
    }

    [Test]
    public void Helm_CustomAgentConfigWithUseConfigMap_PlansItAsTheAgentsDatadogYaml()
    {
        AgentPlan plan = Helm(WithCustomConfig("    site: datadoghq.eu\n    observability_pipelines_worker:\n      metrics:\n        enabled: true\n" +
            "        url: http://opw.internal:8282\n"));

        Assert.That(plan.Site.Domain, Is.EqualTo("datadoghq.eu"));
        Assert.That(Features(plan), Does.Contain("metrics opw.internal 8282/tcp"));
        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith("agents.customAgentConfig is read as the agents' datadog.yaml"));
    }

    [Test]
    public void Helm_CustomAgentConfig_TheChartsVariablesWinOverIt_AndTheNoteNamesThem()
    {
        AgentPlan plan = Helm(WithCustomConfig("    logs_enabled: true\n"));

        Assert.That(Features(plan), Has.None.StartsWith("logs "), "the chart always sets DD_LOGS_ENABLED, false by default, over datadog.yaml");
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("logs_enabled (by DD_LOGS_ENABLED, datadog.logs.enabled"));
    }

    [Test]
    public void Helm_CustomAgentConfigWithATemplate_TheNoteNamesTheKeyReadAsWritten()
    {
        AgentPlan plan = Helm(WithCustomConfig("    env: \"{{ .Release.Namespace }}\"\n"));

        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith("agents.customAgentConfig holds Helm templates, which the chart renders (tpl) and the plan reads as written: env;"));
    }

    [Test]
    public void Helm_CustomAgentConfigWithoutUseConfigMap_IsNotRead_AndTheNoteSaysSo()
    {
        AgentPlan plan = Helm(WithCustomConfig("    site: datadoghq.eu\n", useConfigMap: false));

        Assert.That(plan.Site.Domain, Is.EqualTo("datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith("agents.customAgentConfig is set but agents.useConfigMap is not"));
    }

    [Test]
    public void Helm_CustomAgentConfigBesideAGivenDatadogYaml_ReadsTheGivenFile_AndTheNoteSaysSo()
    {
        AgentPlan plan = Helm(WithCustomConfig("    site: datadoghq.eu\n"), "site: us5.datadoghq.com\n");

        Assert.That(plan.Site.Domain, Is.EqualTo("us5.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.Some.Contains("datadog.yaml was given too: the plan reads datadog.yaml, not agents.customAgentConfig"));
    }

    // An environment file beside the values reaches every Agent container in the plan, as datadog.env does in the chart.
    [TestCase("datadog.envFrom", "give those variables as an environment file beside the values to plan them")]
    [TestCase("agents.containers.agent.envFrom", "though they are the core agent's alone")]
    [TestCase("agents.containers.traceAgent.envFrom", "they are that container's alone")]
    [TestCase("clusterAgent.envFrom", "they are that container's alone")]
    [TestCase("clusterChecksRunner.envFrom", "they are that container's alone")]
    public void Helm_EnvFrom_TheNoteNamesTheKeyAndItsReferences(string key, string advice)
    {
        string indent = new(' ', key.StartsWith("agents.", StringComparison.Ordinal) ? 6 : 2);
        AgentPlan plan = Helm(Set(ChartValues, key, "envFrom: []", $"envFrom:\n{indent}  - configMapRef:\n{indent}      name: dd-extra\n" +
            $"{indent}  - secretRef:\n{indent}      name: dd-keys\n"));

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith($"{key} loads variables from the ConfigMap dd-extra, the Secret dd-keys, which the plan cannot read")
            .And.Contains(advice));
    }

    [TestCase("datadog.env")]
    [TestCase("agents.containers.agent.env")]
    [TestCase("clusterAgent.env")]
    public void Helm_EnvValueFrom_TheNoteNamesTheVariableThePlanCannotRead(string key)
    {
        string indent = new(' ', key.StartsWith("agents.", StringComparison.Ordinal) ? 6 : 2);
        AgentPlan plan = Helm(Set(ChartValues, key, "env: []", $"env:\n{indent}  - name: DD_DD_URL\n{indent}    valueFrom:\n" +
            $"{indent}      configMapKeyRef:\n{indent}        name: dd-relay\n{indent}        key: url\n"));

        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith($"{key} sets DD_DD_URL from a ConfigMap, a Secret or a field (valueFrom), which the plan cannot read"));
    }

    [Test]
    public void Helm_OtherContainersEnv_OwnProcessVariablesPlanned_OthersNamedInANote()
    {
        AgentPlan plan = Helm("datadog:\n  apiKey: x\nagents:\n  containers:\n    traceAgent:\n      env:\n" +
            "        - name: DD_APM_DD_URL\n          value: https://apm-relay.corp.example:8126\n        - name: DD_SITE\n          value: datadoghq.eu\n" +
            "    processAgent:\n      envDict:\n        DD_PROCESS_CONFIG_PROCESS_DD_URL: https://proc-relay.corp.example:8443\n" +
            "clusterAgent:\n  env:\n    - name: DD_ORCHESTRATOR_EXPLORER_ORCHESTRATOR_DD_URL\n      value: orch-relay.corp.example:9443\n");

        Assert.That(plan.Destinations.Select(d => (d.HostName, d.Port.First)), Does.Contain(("apm-relay.corp.example", 8126)).And.Contain(("process.datadoghq.com", 443)));
        Assert.That(plan.Destinations.Select(d => d.HostName), Has.None.EqualTo("trace.agent.datadoghq.com").And.None.Contains("datadoghq.eu")
            .And.None.Contains("proc-relay"), "the process-agent container is not deployed from Agent 7.57 (runInCoreAgent)");
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("agents.containers.traceAgent.env sets DD_SITE for that container alone: the plan reads only its own " +
            "process's variables there (DD_APM_*)"));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("clusterAgent.env sets DD_ORCHESTRATOR_EXPLORER_ORCHESTRATOR_DD_URL for the Cluster Agent"));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("agents.containers.processAgent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL for that container alone, " +
            "whose variables the plan does not read: the chart runs the process checks in the core agent"));
    }

    // should-run-process-checks-on-core-agent (_helpers.tpl, chart 3.240.0): from Agent 7.60 the core agent runs the process checks;
    // before, the process-agent container does, with its own env.
    [TestCase("7.59.0", "agents.containers.processAgent", "proc-relay.corp.example", "agents.containers.agent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL")]
    [TestCase("7.60.0", "agents.containers.agent", "agent-relay.corp.example", "agents.containers.processAgent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL")]
    [TestCase("6", "agents.containers.processAgent", "proc-relay.corp.example", "agents.containers.agent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL")]
    [TestCase("7-jmx", "agents.containers.agent", "agent-relay.corp.example", "agents.containers.processAgent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL")]
    [TestCase("7.50.0\n    doNotCheckTag: true", "agents.containers.agent", "agent-relay.corp.example", "agents.containers.processAgent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL")]
    public void Helm_ProcessRelay_FromTheContainerThatRunsTheProcessChecks(string tag, string reader, string host, string noted) =>
        AssertProcessRelay($"datadog:\n  apiKey: x\nagents:\n  image:\n    tag: {tag}\n", reader, host, noted);

    // On Windows the process-agent container runs the process checks at any version.
    [Test]
    public void Helm_ProcessRelay_OnWindows_FromTheProcessAgentContainer() => AssertProcessRelay(
        "targetSystem: windows\ndatadog:\n  apiKey: x\nagents:\n", "agents.containers.processAgent", "proc-relay.corp.example",
        "agents.containers.agent.env sets DD_PROCESS_CONFIG_PROCESS_DD_URL");

    // should-enable-process-agent: network or service monitoring deploys the process-agent container beside the core agent's process checks.
    [TestCase("networkMonitoring")]
    [TestCase("serviceMonitoring")]
    public void Helm_ProcessRelayOnOneContainer_WithNetworkData_TheOtherContainersIntakeIsNoted(string feature)
    {
        AgentPlan plan = Helm($"datadog:\n  apiKey: x\n  {feature}:\n    enabled: true\nagents:\n  containers:\n" +
            "    agent:\n      env:\n        - name: DD_PROCESS_CONFIG_PROCESS_DD_URL\n          value: https://agent-relay.corp.example:8443\n");
        AgentPlan without = Helm("datadog:\n  apiKey: x\nagents:\n  containers:\n" +
            "    agent:\n      env:\n        - name: DD_PROCESS_CONFIG_PROCESS_DD_URL\n          value: https://agent-relay.corp.example:8443\n");

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("agents.containers.agent.env sets process variables for one container: with datadog.networkMonitoring")
            .And.Contains("process.datadoghq.com, 443/tcp"));
        Assert.That(without.Notes.Texts(), Has.None.Contains("networkMonitoring or serviceMonitoring on"));
    }

    // should-enable-process-agent (<=7.51.0-0): before 7.51 the process-agent container runs the orchestrator pod check, with its own env.
    [TestCase("7.50.0", true)]
    [TestCase("7.51.0", false)]
    public void Helm_OrchestratorRelayOnTheAgentContainer_Before751_IsNoted(string tag, bool noted)
    {
        AgentPlan plan = Helm($"datadog:\n  apiKey: x\nagents:\n  image:\n    tag: {tag}\n  containers:\n    agent:\n      env:\n" +
            "        - name: DD_ORCHESTRATOR_EXPLORER_ORCHESTRATOR_DD_URL\n          value: https://orch-relay.corp.example:9443\n");

        Assert.That(plan.Notes.Texts().Any(n => n.Contains("before Agent 7.51 the chart runs the orchestrator explorer's pod check", StringComparison.Ordinal)), Is.EqualTo(noted));
    }

    private static void AssertProcessRelay(string head, string reader, string host, string noted)
    {
        AgentPlan plan = Helm(head + "  containers:\n" +
            "    agent:\n      env:\n        - name: DD_PROCESS_CONFIG_PROCESS_DD_URL\n          value: https://agent-relay.corp.example:8443\n" +
            "    processAgent:\n      env:\n        - name: DD_PROCESS_CONFIG_PROCESS_DD_URL\n          value: https://proc-relay.corp.example:8443\n");

        Assert.That(plan.Destinations.Where(d => d.Feature == "process").Select(d => d.HostName), Is.EqualTo(new[] { host }), reader);
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith(noted));
    }

    // datadog.kubelet.useApiServer (DD_KUBELET_USE_API_SERVER, _containers-common-env.yaml): the node agents list their pods from the API server.
    [Test]
    public void Helm_KubeletUseApiServer_PlansTheApiServerBesideTheClusterAgent()
    {
        AgentPlan plan = Helm("datadog:\n  apiKey: x\n  kubelet:\n    useApiServer: true\n");
        AgentPlan kubelet = Helm("datadog:\n  apiKey: x\n");

        Assert.That(Features(plan), Does.Contain("kube-apiserver kubernetes.default.svc 443/tcp"));
        Assert.That(plan.Notes.Texts(), Does.Contain(ClusterPlanner.ClusterAgentNote), "the Cluster Agent still serves the cluster metadata");
        Assert.That(Features(kubelet), Has.None.StartsWith("kube-apiserver"));
    }

    // _container-agent.yaml renders datadog.env inside containers-common-env, then sets these from the values: Kubernetes keeps the last.
    [Test]
    public void Helm_DatadogEnvSettingWhatTheChartSetsLater_TheChartsValueWins_AndANoteSaysSo()
    {
        AgentPlan plan = Helm("datadog:\n  apiKey: x\n  logs:\n    enabled: true\n  env:\n" +
            "    - name: DD_CONTAINER_IMAGE_ENABLED\n      value: \"false\"\n    - name: DD_LOGS_ENABLED\n      value: \"false\"\n" +
            "    - name: DD_ORCHESTRATOR_EXPLORER_ENABLED\n      value: \"false\"\n    - name: DD_DOGSTATSD_NON_LOCAL_TRAFFIC\n      value: \"false\"\n" +
            "    - name: DD_LOGS_CONFIG_LOGS_DD_URL\n      value: logs-relay.corp.example:10516\n");

        Assert.That(plan.Destinations.Select(d => d.Feature), Does.Contain("container-image").And.Contain("orchestrator").And.Contain("logs"));
        Assert.That(plan.Destinations.Where(d => d.Feature == "logs").Select(d => d.HostName), Has.All.EqualTo("logs-relay.corp.example"),
            "a variable the chart does not set again is the env's");
        Assert.That(plan.Listeners.Single(l => l.Feature == "dogstatsd").IsLocalOnly, Is.False, "the chart sets non-local traffic after datadog.env");
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("datadog.env or datadog.envDict sets DD_CONTAINER_IMAGE_ENABLED, DD_LOGS_ENABLED, " +
            "DD_ORCHESTRATOR_EXPLORER_ENABLED, DD_DOGSTATSD_NON_LOCAL_TRAFFIC, which the chart sets again after it"));
    }

    // Set after datadog.env only when the chart turns them on: datadog.env decides when the chart leaves them out.
    [Test]
    public void Helm_DatadogEnv_VariablesTheChartSetsOnlyWhenOn_AreTheEnvsWhenTheChartsAreOff()
    {
        AgentPlan clusterAgentOff = Helm("clusterAgent:\n  enabled: false\ndatadog:\n  env:\n    - name: DD_CLUSTER_AGENT_ENABLED\n      value: \"true\"\n");
        AgentPlan sbomOn = Helm("datadog:\n  sbom:\n    containerImage:\n      enabled: true\n  envDict:\n    DD_SBOM_CONTAINER_IMAGE_ENABLED: \"false\"\n" +
            "    DD_COMPLIANCE_CONFIG_ENABLED: \"false\"\n  securityAgent:\n    compliance:\n      enabled: true\n");

        Assert.That(clusterAgentOff.Notes.Texts(), Does.Contain(ClusterPlanner.ClusterAgentNote).And.None.StartsWith("datadog.env or datadog.envDict sets"));
        Assert.That(Features(sbomOn), Has.Some.StartsWith("sbom ").And.Some.StartsWith("compliance"));
        Assert.That(sbomOn.Notes.Texts(), Has.One.StartsWith("datadog.env or datadog.envDict sets DD_SBOM_CONTAINER_IMAGE_ENABLED, DD_COMPLIANCE_CONFIG_ENABLED"));
    }

    // processes-common-envs is not rendered on GKE GDC: the agent keeps its defaults (container collection and process discovery on).
    [Test]
    public void Helm_Gdc_ProcessValuesReachNoContainer_TheAgentsDefaultsStand()
    {
        AgentPlan plan = Helm("providers:\n  gke:\n    gdc: true\ndatadog:\n  processAgent:\n    containerCollection: false\n    processDiscovery: false\n");
        AgentPlan elsewhere = Helm("datadog:\n  processAgent:\n    containerCollection: false\n    processDiscovery: false\n");

        Assert.That(Features(plan), Has.Some.StartsWith("process process.datadoghq.com"));
        Assert.That(Features(elsewhere), Has.None.StartsWith("process "));
    }

    // Compliance runs in the security agent's container, which takes its variable from the chart, not from the agent container's env.
    [Test]
    public void Helm_AgentContainerEnv_ComplianceOff_IsTheCoreAgentsAlone()
    {
        AgentPlan plan = Helm("datadog:\n  securityAgent:\n    compliance:\n      enabled: true\nagents:\n  containers:\n    agent:\n      env:\n" +
            "        - name: DD_COMPLIANCE_CONFIG_ENABLED\n          value: \"false\"\n");

        Assert.That(Features(plan), Has.Some.StartsWith("compliance cspm-intake.datadoghq.com"));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("agents.containers.agent.env sets DD_COMPLIANCE_CONFIG_ENABLED for the core agent's container alone"));
    }

    // DD_LOGS_ENABLED is datadog.logs.enabled or the older datadog.logsEnabled (_container-agent.yaml).
    [Test]
    public void Helm_OlderLogsEnabledKey_TurnsLogsOn()
    {
        Assert.That(Features(Helm("datadog:\n  logsEnabled: true\n")), Has.Some.StartsWith("logs agent-http-intake.logs.datadoghq.com"));
    }

    [TestCase("DD_SITE", "datadoghq.eu")]
    [TestCase("DD_PROXY_HTTPS", "http://proxy.corp.example:3128")]
    public void Helm_AgentContainerEnv_SiteOrProxy_IsTheCoreAgentsAlone_AndSaid(string variable, string value)
    {
        AgentPlan plan = Helm($"datadog:\n  apiKey: x\n  apm:\n    portEnabled: true\nagents:\n  containers:\n    agent:\n      env:\n" +
            $"        - name: {variable}\n          value: {value}\n");
        AgentPlan common = Helm($"datadog:\n  apiKey: x\n  apm:\n    portEnabled: true\n  env:\n    - name: {variable}\n      value: {value}\n");

        Assert.That(plan.Notes.Texts(), Has.One.StartsWith($"agents.containers.agent.env sets {variable} for the core agent's container alone: the trace-agent"));
        Assert.That(common.Notes.Texts(), Has.None.Contains("for the core agent's container alone"));
    }

    [Test]
    public void Helm_ClusterAgentEnv_ExternalMetricsEndpoint_Planned()
    {
        AgentPlan plan = Helm("datadog:\n  apiKey: x\nclusterAgent:\n  metricsProvider:\n    enabled: true\n  env:\n" +
            "    - name: DD_EXTERNAL_METRICS_PROVIDER_ENDPOINT\n      value: https://metrics-relay.corp:9443\n");

        Assert.That(plan.Destinations.Where(d => d.Feature == "external-metrics").Select(d => (d.HostName, d.Port.First)), Is.EqualTo(new[] { ("metrics-relay.corp", 9443) }));
        Assert.That(plan.Notes.Texts(), Has.None.StartsWith("clusterAgent.env sets"));
    }

    [Test]
    public void Helm_AgentContainerEnv_TraceAgentVariables_NotPlannedButNoted()
    {
        // agents.containers.agent.env reaches the core agent's container only (_container-agent.yaml): the trace-agent never reads it.
        AgentPlan plan = Helm("datadog:\n  apiKey: x\nagents:\n  containers:\n    agent:\n      env:\n" +
            "        - name: DD_APM_DD_URL\n          value: https://apm-relay.corp.example:8126\n");

        Assert.That(plan.Destinations.Select(d => d.HostName), Does.Contain("trace.agent.datadoghq.com").And.None.EqualTo("apm-relay.corp.example"));
        Assert.That(plan.Notes.Texts(), Has.One.StartsWith("agents.containers.agent.env sets DD_APM_DD_URL for the core agent's container alone: " +
            "the trace-agent, the security agent and system-probe read them"));
    }

    [TestCase("  serviceName: dca-svc\n  tokenSecretName: tok\n", false)]
    [TestCase("  serviceName: dca-svc\n", true)]
    public void Helm_ExistingClusterAgentJoined_AgentsReachItNotTheApiServer(string more, bool apiServer)
    {
        // cluster-agent-enabled is true for a joined Cluster Agent only when existingClusterAgent-configured (_helpers.tpl).
        AgentPlan plan = Helm("datadog:\n  apiKey: x\nclusterAgent:\n  enabled: false\nexistingClusterAgent:\n  join: true\n" + more);

        Assert.That(plan.Destinations.Any(d => d.Feature == "kube-apiserver"), Is.EqualTo(apiServer));
    }

    [TestCase("agents:\n  enabled: false\n", "agents.enabled is false: the chart deploys no node Agent")]
    [TestCase("otelAgentGateway:\n  enabled: true\n", "otelAgentGateway.enabled deploys the OTel Agent gateway")]
    [TestCase("agents:\n  useHostNetwork: true\n", "agents.useHostNetwork puts the Agent's pods on the host's network")]
    public void Helm_ComponentsThePlanDoesNotShow_Noted(string values, string note)
    {
        Assert.That(Helm(values).Notes.Texts(), Has.One.StartsWith(note));
        Assert.That(Helm(ChartValues).Notes.Texts(), Has.None.StartsWith(note.Split(' ')[0]), "the chart's defaults deploy the node Agent off the host network");
    }

    [Test]
    public void Helm_ChartsOwnValues_NoEnvFromNoCustomConfigNote()
    {
        Assert.That(Helm(ChartValues).Notes.Texts(), Has.None.Contains("envFrom").And.None.Contains("customAgentConfig"));
    }

    [TestCase(false, "prometheus_scrape (datadog.prometheusScrape.enabled) scrapes the metrics endpoints of annotated pods in the cluster")]
    [TestCase(true, "prometheus_scrape (datadog.prometheusScrape.enabled) scrapes the metrics endpoints of annotated pods and the endpoints of annotated services")]
    public void Helm_PrometheusScrapeEnabled_TheNoteNamesTheKey_AndNoHostIsAdded(bool services, string note)
    {
        string values = Set(ChartValues, "datadog.prometheusScrape.enabled", "enabled: false", "enabled: true");
        values = services ? Set(values, "datadog.prometheusScrape.serviceEndpoints", "serviceEndpoints: false", "serviceEndpoints: true") : values;

        AgentPlan plan = Helm(values);

        Assert.That(plan.Notes.Texts(), Has.Some.StartsWith(note));
        Assert.That(Features(plan), Is.EquivalentTo(Features(Helm(ChartValues))), "what it scrapes is in the cluster; its metrics go to the planned intake");
    }

    // The chart has no key of its own for the Observability Pipelines Worker: its variables go through datadog.env.
    [Test]
    public void Helm_ObservabilityPipelinesWorkerThroughDatadogEnv_PlansTheWorker()
    {
        string withLogs = Set(ChartValues, "datadog.logs.enabled", "enabled: false", "enabled: true");
        AgentPlan plan = Helm(Set(withLogs, "datadog.env", "env: []", "env:\n    - name: DD_OBSERVABILITY_PIPELINES_WORKER_LOGS_ENABLED\n      value: \"true\"\n" +
            "    - name: DD_OBSERVABILITY_PIPELINES_WORKER_LOGS_URL\n      value: http://opw.internal:8282\n"));

        Assert.That(Features(plan), Does.Contain("logs opw.internal 8282/tcp"));
    }

    [TestCase("datadog.privateActionRunner.enabled", false)]
    [TestCase("clusterAgent.privateActionRunner.enabled", false)]
    [TestCase("datadog.privateActionRunner.enabled", true)]
    public void Helm_PrivateActionRunner_TheNoteNamesTheKeyAndTheSitesHosts(string key, bool windows)
    {
        string values = Set(ChartValues, key, "enabled: false", "enabled: true");
        values = windows ? values.Replace("targetSystem: \"linux\"", "targetSystem: \"windows\"", StringComparison.Ordinal) : values;

        AgentPlan plan = Helm(values);

        Assert.That(plan.Notes.Texts().Any(n => n.StartsWith($"{key}: the private action runner", StringComparison.Ordinal)
            && n.Contains("list datadoghq.com and config.datadoghq.com (443/tcp)", StringComparison.Ordinal)), Is.EqualTo(!windows),
            "the chart runs the node Agent's runner on Linux only");
    }

    [Test]
    public void Helm_ChartsOwnValues_TheOperatorIsOnByDefault_AndTheNoteSaysWhatItContacts()
    {
        Assert.That(Helm(ChartValues).Notes.Texts(), Has.Some.StartsWith("datadog.operator.enabled (true in the chart's values.yaml) installs the Datadog Operator")
            .And.Some.Contains("to https://api.datadoghq.com (the Operator chart's default while operator.site is not set)"));
        Assert.That(Helm(Set(ChartValues, "datadog.operator.enabled", "enabled: true", "enabled: false")).Notes.Texts(), Has.None.Contains("Datadog Operator"));
    }

    [TestCase(false, true)]
    [TestCase(true, false)]
    public void Helm_ClusterChecksRunnerEnabled_TheNoteSaysItsPodsNeedTheSameHosts(bool joinAnother, bool noted)
    {
        string values = Set(ChartValues, "clusterChecksRunner.enabled", "enabled: false", "enabled: true");
        AgentPlan plan = Helm(joinAnother ? Set(values, "existingClusterAgent.join", "join: false", "join: true") : values);

        Assert.That(plan.Notes.Texts().Any(n => n.StartsWith("clusterChecksRunner.enabled deploys the cluster checks runners", StringComparison.Ordinal)), Is.EqualTo(noted));
        Assert.That(Helm(ChartValues).Notes.Texts(), Has.None.Contains("cluster checks runners"));
    }
}
